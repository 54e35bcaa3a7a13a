using P2PSync.Node.Transport.WebRtc.Dcep;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Peer;

/// <summary>
/// Two <see cref="DataChannelMux"/>es (A is the DTLS client, B the server) joined by the same
/// <see cref="SeededLossyLink"/> as the SCTP tests' link: each packet may be lost, duplicated or
/// delayed by a random jitter (which reorders it), and time jumps to the next event.
/// </summary>
internal sealed class SimulatedMuxLink
{
    private readonly SeededLossyLink _link;

    public SimulatedMuxLink(int seed, double loss = 0, double duplicate = 0, int delayMs = 10, int jitterMs = 0, int remoteMaxMessageSize = 0, int sendBufferLimit = 2_000_000, int localMaxMessageSize = 0)
    {
        Seed = seed;
        var options = new SctpOptions { RemoteMaxMessageSize = remoteMaxMessageSize, SendBufferLimit = sendBufferLimit, LocalMaxMessageSize = localMaxMessageSize };
        A = new DataChannelMux(localIsDtlsClient: true, options, new Random(seed + 1));
        B = new DataChannelMux(localIsDtlsClient: false, options, new Random(seed + 2));
        _link = new SeededLossyLink(seed, loss, duplicate, delayMs, jitterMs, End(A), End(B), Collect);
    }

    public int Seed { get; }

    public double Loss { get => _link.Loss; set => _link.Loss = value; }

    public double Duplicate { get => _link.Duplicate; set => _link.Duplicate = value; }

    public int DelayMs => _link.DelayMs;

    public int JitterMs => _link.JitterMs;

    public DataChannelMux A { get; }

    public DataChannelMux B { get; }

    public long Now => _link.Now;

    /// <summary>Both sides send INIT at the same instant, as two of our peer connections do.</summary>
    public bool Connect(long maxMs = 60_000)
    {
        A.Association.Connect(Now);
        B.Association.Connect(Now);
        return RunUntil(() => A.IsUp && B.IsUp, maxMs);
    }

    /// <summary>Runs until <paramref name="done"/> holds or nothing is left to do; false if the time limit passed first.</summary>
    public bool RunUntil(Func<bool> done, long maxMs = 600_000) => _link.RunUntil(done, maxMs);

    /// <summary>Packets go in through the mux (it routes DCEP), but timers and output live on its association.</summary>
    private static SimulatedLinkEnd End(DataChannelMux mux) =>
        new((packet, now) => mux.HandleInput(packet, now), mux.HandleTimeout, () => mux.Association.NextTimeoutMs);

    private void Collect()
    {
        while (A.Association.TryDequeueOutput(out var packet))
        {
            _link.Carry(true, packet.ToArray());
        }

        while (B.Association.TryDequeueOutput(out var packet))
        {
            _link.Carry(false, packet.ToArray());
        }
    }
}
