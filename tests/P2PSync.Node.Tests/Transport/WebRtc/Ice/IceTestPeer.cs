using System.Net;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

/// <summary>An agent with one host candidate per address, attached to a simulated network.</summary>
internal sealed class IceTestPeer
{
    public IceTestPeer(SimulatedIceNetwork network, int seed, IceRole role, ulong tieBreaker, IceAgentOptions? options = null, params string[] addresses)
    {
        var random = new Random(seed);
        Credentials = IceCredentials.Generate(random);
        Agent = new IceAgent(options ?? new IceAgentOptions(), Credentials, role, tieBreaker, random);
        int preference = 65535;
        foreach (string address in addresses)
        {
            IPEndPoint endPoint = IPEndPoint.Parse(address);
            var candidate = new IceCandidate(
                CandidateFoundation.Compute(IceCandidateType.Host, endPoint.Address.ToString(), null, "udp"),
                1, "udp", CandidatePriority.Compute(IceCandidateType.Host, preference--), endPoint.Address.ToString(), endPoint.Port,
                IceCandidateType.Host);
            Agent.AddLocalCandidate(candidate, endPoint);
            Candidates.Add(candidate);
            network.Attach(Agent, endPoint);
        }
    }

    public IceAgent Agent { get; }

    public IceCredentials Credentials { get; }

    public List<IceCandidate> Candidates { get; } = [];

    /// <summary>Hands our credentials and candidates to <paramref name="other"/>, as signalling would.</summary>
    public void SignalTo(IceTestPeer other, bool endOfCandidates = true)
    {
        other.Agent.SetRemoteCredentials(Credentials);
        foreach (IceCandidate candidate in Candidates)
        {
            other.Agent.AddRemoteCandidate(candidate);
        }

        if (endOfCandidates)
        {
            other.Agent.RemoteEndOfCandidates();
        }
    }

    public static bool BothCompleted(IceTestPeer a, IceTestPeer b) =>
        a.Agent.State == IceConnectionState.Completed && b.Agent.State == IceConnectionState.Completed
        && a.Agent.SelectedPair is { } pa && b.Agent.SelectedPair is { } pb
        && pa.RemoteEndPoint.Equals(pb.Local.Base) && pb.RemoteEndPoint.Equals(pa.Local.Base);
}
