using System.Net;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// A (local base, remote address) pair and what the checks have learned about it. Mutable on
/// purpose: the agent owns every pair and updates it as checks and answers come and go.
/// </summary>
internal sealed class CandidatePair
{
    public CandidatePair(LocalCandidate local, IceCandidate remote, IPEndPoint remoteEndPoint)
    {
        Local = local;
        Remote = remote;
        RemoteEndPoint = remoteEndPoint;
    }

    public LocalCandidate Local { get; }

    public IceCandidate Remote { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public string Foundation => Local.Candidate.Foundation + ":" + Remote.Foundation;

    public CandidatePairState State { get; set; } = CandidatePairState.Frozen;

    public ulong Priority { get; private set; }

    /// <summary>One of our checks on this pair got an authenticated, symmetric success response.</summary>
    public bool Valid => State == CandidatePairState.Succeeded;

    /// <summary>The peer sent an authenticated check on this pair: we may answer DTLS on it (notes §0.4).</summary>
    public bool ReceivedValidRequest { get; set; }

    /// <summary>Controlled side: the peer nominated this pair before our own check on it succeeded.</summary>
    public bool NominateOnSuccess { get; set; }

    public bool Nominated { get; set; }

    public void UpdatePriority(IceRole role)
    {
        uint local = Local.Candidate.Priority;
        uint remote = Remote.Priority;
        Priority = role == IceRole.Controlling ? CandidatePriority.ForPair(local, remote) : CandidatePriority.ForPair(remote, local);
    }

    public bool Matches(IPEndPoint localBase, IPEndPoint remote) => Local.Base.Equals(localBase) && RemoteEndPoint.Equals(remote);

    public override string ToString() => $"{Local.Base} -> {RemoteEndPoint} ({State})";
}
