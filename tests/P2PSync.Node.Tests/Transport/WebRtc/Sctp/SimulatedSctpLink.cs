using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

/// <summary>
/// Two associations joined by a <see cref="SeededLossyLink"/>, plus what only the SCTP tests need:
/// tampering with A's packets, observing B's, and silencing B.
/// </summary>
internal sealed class SimulatedSctpLink
{
    private readonly SeededLossyLink _link;

    public SimulatedSctpLink(int seed, double loss = 0, double duplicate = 0, int delayMs = 10, int jitterMs = 0, SctpOptions? optionsA = null, SctpOptions? optionsB = null)
    {
        Seed = seed;
        A = new Association(optionsA ?? new SctpOptions { RemoteMaxMessageSize = 0 }, UserA, new Random(seed + 1));
        B = new Association(optionsB ?? new SctpOptions { RemoteMaxMessageSize = 0 }, UserB, new Random(seed + 2));
        _link = new SeededLossyLink(seed, loss, duplicate, delayMs, jitterMs, End(A), End(B), Collect);
    }

    /// <summary>A link whose associations have completed their handshake on a clean link; loss and duplicates apply from then on.</summary>
    public static SimulatedSctpLink Connected(int seed, double loss = 0, double duplicate = 0, int jitterMs = 0, SctpOptions? optionsA = null, SctpOptions? optionsB = null)
    {
        var link = new SimulatedSctpLink(seed, 0, 0, 10, jitterMs, optionsA, optionsB);
        link.A.Connect(link.Now);
        Assert.True(
            link.RunUntil(() => link.A.State == SctpAssociationState.Established && link.B.State == SctpAssociationState.Established, 60_000),
            $"seed {seed}: setup");
        link.Loss = loss;
        link.Duplicate = duplicate;
        return link;
    }

    public int Seed { get; }

    public double Loss { get => _link.Loss; set => _link.Loss = value; }

    public double Duplicate { get => _link.Duplicate; set => _link.Duplicate = value; }

    public int DelayMs => _link.DelayMs;

    public int JitterMs => _link.JitterMs;

    /// <summary>While true, everything B sends is lost (a peer that went away).</summary>
    public bool BSilenced { get; set; }

    public RecordingSctpUser UserA { get; } = new();

    public RecordingSctpUser UserB { get; } = new();

    public Association A { get; }

    public Association B { get; }

    public long Now => _link.Now;

    public long PacketsCarried => _link.PacketsCarried;

    /// <summary>Sees (and may replace, or drop by returning null) every packet from A to B.</summary>
    public Func<byte[], byte[]?>? TamperAToB { get; set; }

    /// <summary>Sees every packet from B to A.</summary>
    public Action<byte[]>? ObserveBToA { get; set; }

    /// <summary>Runs until <paramref name="done"/> holds or nothing is left to do; false if the time limit passed first.</summary>
    public bool RunUntil(Func<bool> done, long maxMs = 600_000) => _link.RunUntil(done, maxMs);

    private static SimulatedLinkEnd End(Association association) =>
        new((packet, now) => association.HandleInput(packet, now), association.HandleTimeout, () => association.NextTimeoutMs);

    private void Collect()
    {
        while (A.TryDequeueOutput(out var packet))
        {
            var bytes = packet.ToArray();
            if (TamperAToB is not null)
            {
                var tampered = TamperAToB(bytes);
                if (tampered is null)
                {
                    continue;
                }

                bytes = tampered;
            }

            _link.Carry(true, bytes);
        }

        while (B.TryDequeueOutput(out var packet))
        {
            ObserveBToA?.Invoke(packet.ToArray());
            if (!BSilenced)
            {
                _link.Carry(false, packet.ToArray());
            }
        }
    }
}
