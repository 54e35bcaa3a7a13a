using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>
/// Numbers travel as JS numbers. The replica that inserts a value must hold what its peers
/// decode, or `(long)a.Get(0)` works locally and fails (or reads another value) on a peer.
/// </summary>
public sealed class LocalValueNormalisationTests
{
    public static TheoryData<object> Numbers() => new()
    {
        1L, -5L, 2147483647L, -2147483648L, 1L << 40, (1L << 53) + 1, long.MaxValue, long.MinValue,
        2.0, -0.0, 2.5, 1e300, 3.0f, 7, 4000000000u, ulong.MaxValue,
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void InsertedNumberEqualsWhatAPeerDecodes(object number)
    {
        var local = new Doc(new DocOptions { ClientId = 1 });
        local.GetArray("a").Push(new[] { number });
        local.GetMap("m").Set("k", number);
        var remote = new Doc(new DocOptions { ClientId = 2 });
        Y.ApplyUpdate(remote, Y.EncodeStateAsUpdate(local));

        var here = local.GetArray("a").Get(0);
        var there = remote.GetArray("a").Get(0);
        Assert.Equal(there!.GetType(), here!.GetType());
        Assert.Equal(there, here);
        Assert.Equal(remote.GetMap("m").Get("k"), local.GetMap("m").Get("k"));
    }

    [Fact]
    public void ClientIdsBeyondWhatTheWireCarriesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Doc(new DocOptions { ClientId = 1UL << 60 }));
        var doc = new Doc(new DocOptions { ClientId = Doc.MaxClientId });
        Assert.Throws<ArgumentOutOfRangeException>(() => doc.ClientId = Doc.MaxClientId + 1);
        doc.GetText("t").Insert(0, "x");
        var other = new Doc();
        Y.ApplyUpdate(other, Y.EncodeStateAsUpdate(doc));
        Assert.Equal("x", other.GetText("t").ToString());
    }
}
