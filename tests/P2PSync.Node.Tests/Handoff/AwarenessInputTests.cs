using P2PSync.Node.Tests.Support;
using Google.Protobuf;
using P2PSync.Node.Handoff;
using P2PSync.Node.Tests.Security;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;
using static P2PSync.Node.Tests.Handoff.AwarenessHubTests;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>Bad awareness input of every kind: a typed error, and nothing the hub holds changes.</summary>
public sealed class AwarenessInputTests
{
    private static readonly DeviceId Peer = AwarenessNetwork.DeviceOf(4, 0);
    private static readonly DeviceId Other = AwarenessNetwork.DeviceOf(4, 1);

    public static TheoryData<string, byte[]> BadUpdates => new()
    {
        { "empty", [] },
        { "truncated count", [0x80] },
        { "count beyond the bytes", [0x05, 0x01, 0x01, 0x02, (byte)'{', (byte)'}'] },
        { "truncated state", [0x01, 0x01, 0x01, 0x05, (byte)'{'] },
        { "state is not JSON", Update((1, 1, "{not json")) },
        { "state is JS undefined", Update((1, 1, "undefined")) },
        { "trailing bytes", [.. Update((1, 1, "{}")), 0x00] },
        { "client id above 2^53 - 1", [0x01, .. RawVarUint(1UL << 53), 0x01, 0x02, (byte)'{', (byte)'}'] },
        { "clock above 2^53 - 1", [0x01, 0x01, .. RawVarUint(1UL << 53), 0x02, (byte)'{', (byte)'}'] },
        { "client id 2^64 - 1", [0x01, .. RawVarUint(ulong.MaxValue), 0x01, 0x02, (byte)'{', (byte)'}'] },
        { "state over 64 KiB", Update((1, 1, "\"" + new string('x', AwarenessHub.MaxStateBytes) + "\"")) },
        { "invalid UTF-8", [0x01, 0x01, 0x01, 0x02, 0xC3, 0x28] },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public void BadPeerFrame_IsATypedError_AndChangesNothing(string what, byte[] update)
    {
        var (hub, before) = Populated();

        var ex = Assert.Throws<AwarenessFormatException>(() => hub.OnPeerFrame(Peer, new AwarenessFrame { DocId = "doc1", Update = ByteString.CopyFrom(update) }));

        Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
        Assert.Equal(before, Snapshot(hub));
    }

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public void BadLocalUpdate_IsATypedError_AndChangesNothing(string what, byte[] update)
    {
        var (hub, before) = Populated();

        Assert.Throws<AwarenessFormatException>(() => hub.OnLocalUpdate("doc1", new object(), update));

        Assert.Equal(before, Snapshot(hub));
        Assert.NotNull(what);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("doc id")]
    [InlineData("é")]
    public void BadDocumentId_IsATypedError(string docId)
    {
        var (hub, before) = Populated();

        Assert.Throws<AwarenessFormatException>(() => hub.OnPeerFrame(Peer, Frame(docId, (1, 1, "{}"))));
        Assert.Throws<AwarenessFormatException>(() => hub.SetOwnState(docId, 1, "{}"));

        Assert.Equal(before, Snapshot(hub));
    }

    [Fact]
    public void TooManyStates_IsRefusedWhole_AndChangesNothing()
    {
        var hub = new AwarenessHub(new ManualTimeProvider());
        hub.OnPeerConnected(Peer);
        var nearlyFull = Enumerable.Range(0, AwarenessHub.MaxStates - 1).Select(i => ((ulong)i, 0UL, "{}")).ToArray();
        hub.OnPeerFrame(Peer, Frame("doc1", nearlyFull));
        var before = Snapshot(hub);

        Assert.Throws<AwarenessFormatException>(() => hub.OnPeerFrame(Peer, Frame("doc2", (1, 0, "{}"), (2, 0, "{}"))));

        Assert.Equal(before, Snapshot(hub));
        hub.OnPeerFrame(Peer, Frame("doc2", (1, 0, "{}")));
        Assert.Single(hub.States("doc2"));
    }

    [Fact]
    public void SeededMutations_EitherApplyOrThrowTheTypedError_NeverAnythingElse()
    {
        var valid = Update((1, 3, "{\"user\":{\"name\":\"ann\",\"color\":\"#30bced\"},\"cursor\":{\"anchor\":{\"type\":{\"client\":1,\"clock\":2},\"assoc\":0},\"head\":null}}"), (2, 9, "null"), (3, 1, "[1,2,{\"x\":\"y\"}]"));
        for (var seed = 1; seed <= 2000; seed++)
        {
            var random = new Random(seed);
            var mutated = ByteMutator.Mutate(valid, random);
            var (hub, before) = Populated();
            try
            {
                hub.OnPeerFrame(Peer, new AwarenessFrame { DocId = "doc1", Update = ByteString.CopyFrom(mutated) });
            }
            catch (AwarenessFormatException)
            {
                Assert.True(before == Snapshot(hub), $"seed {seed}: a refused update changed the hub");
                continue;
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}: {ex.GetType().Name}: {ex.Message} for {Convert.ToHexString(mutated)}");
            }

            // Accepted: it must have been a well-formed update the codec reads the same way.
            var entries = AwarenessUpdate.Decode(mutated);
            Assert.True(entries.All(e => e.ClientId <= AwarenessHub.MaxSafeInteger && e.Clock <= AwarenessHub.MaxSafeInteger), $"seed {seed}");
        }
    }

    /// <summary>A varuint without lib0's 2^53 limit (our writer refuses to produce these).</summary>
    private static byte[] RawVarUint(ulong value)
    {
        var bytes = new List<byte>();
        while (value > 0x7F)
        {
            bytes.Add((byte)(0x80 | (value & 0x7F)));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>A hub holding states from a peer, a local client and itself, and a second connected peer.</summary>
    private static (AwarenessHub Hub, string Snapshot) Populated()
    {
        var hub = new AwarenessHub(new ManualTimeProvider());
        hub.OnPeerConnected(Peer);
        hub.OnPeerConnected(Other);
        hub.OnPeerFrame(Peer, Frame("doc1", (1, 2, "{\"p\":1}"), (2, 9, "{\"p\":2}")));
        hub.OnLocalUpdate("doc1", new object(), Update((10, 0, "{\"l\":1}")));
        hub.SetOwnState("doc1", 99, "{\"me\":1}");
        return (hub, Snapshot(hub));
    }

    private static string Snapshot(AwarenessHub hub) =>
        string.Join(
            ";",
            new[] { "doc1", "doc2" }.Select(d => d + ":" + string.Join(",", hub.States(d).Select(s => $"{s.ClientId}/{s.Clock}/{s.StateJson}"))))
        + "|" + hub.NextWakeUp + "|" + string.Join(",", hub.ConnectedPeers.Select(p => p.ToString()).Order());
}
