using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>
/// Two sessions wired back to back without a network: what one returns is queued for the other
/// (through the real envelope codec) until both fall silent. For focused protocol tests.
/// </summary>
internal sealed class SessionPair
{
    public SessionPair(SimDevice a, SimDevice b)
    {
        DeviceA = a;
        DeviceB = b;
        A = new PeerSyncSession(a.Source, a.Spaces, b.Id, a.Name);
        B = new PeerSyncSession(b.Source, b.Spaces, a.Id, b.Name);
    }

    public SimDevice DeviceA { get; }

    public SimDevice DeviceB { get; }

    /// <summary>A's session (its remote is B).</summary>
    public PeerSyncSession A { get; }

    /// <summary>B's session (its remote is A).</summary>
    public PeerSyncSession B { get; }

    /// <summary>Every envelope that travelled A to B.</summary>
    public List<Envelope> SentByA { get; } = [];

    /// <summary>Every envelope that travelled B to A.</summary>
    public List<Envelope> SentByB { get; } = [];

    /// <summary>Every refusal either session reported.</summary>
    public List<string> Refusals { get; } = [];

    public void Connect()
    {
        var toB = new Queue<Envelope>(A.OnConnected());
        var toA = new Queue<Envelope>(B.OnConnected());
        Run(toB, toA);
    }

    public void FromA(IReadOnlyList<Envelope> envelopes) => Run(new Queue<Envelope>(envelopes), new Queue<Envelope>());

    public void FromB(IReadOnlyList<Envelope> envelopes) => Run(new Queue<Envelope>(), new Queue<Envelope>(envelopes));

    /// <summary>A device id from seeded bytes, for tests that need an identity but no key.</summary>
    public static DeviceId NewDevice(Random random)
    {
        var key = new byte[DeviceId.KeyLength];
        random.NextBytes(key);
        return DeviceId.FromPublicKey(key);
    }

    private void Run(Queue<Envelope> toB, Queue<Envelope> toA)
    {
        while (toB.Count > 0 || toA.Count > 0)
        {
            if (toB.TryDequeue(out var forB))
            {
                SentByA.Add(forB);
                var output = B.OnEnvelope(EnvelopeCodec.Decode(EnvelopeCodec.Encode(forB)));
                Refusals.AddRange(output.Refusals);
                foreach (var reply in output.Replies)
                {
                    toA.Enqueue(reply);
                }
            }

            if (toA.TryDequeue(out var forA))
            {
                SentByB.Add(forA);
                var output = A.OnEnvelope(EnvelopeCodec.Decode(EnvelopeCodec.Encode(forA)));
                Refusals.AddRange(output.Refusals);
                foreach (var reply in output.Replies)
                {
                    toB.Enqueue(reply);
                }
            }
        }
    }
}
