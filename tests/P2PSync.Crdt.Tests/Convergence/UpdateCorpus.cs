using P2PSync.Crdt.Core;
using P2PSync.Crdt.Tests.Support;

namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// Real updates to mutate: the per-transaction v1 and v2 updates of a seeded random editing
/// history on two replicas, plus whole-document updates of both formats.
/// </summary>
internal sealed class UpdateCorpus
{
    private UpdateCorpus(List<byte[]> v1, List<byte[]> v2)
    {
        V1 = v1;
        V2 = v2;
    }

    public IReadOnlyList<byte[]> V1 { get; }

    public IReadOnlyList<byte[]> V2 { get; }

    public static UpdateCorpus Build(int seed)
    {
        var random = new Random(seed);
        var v1 = new List<byte[]>();
        var v2 = new List<byte[]>();
        var a = new Doc(new DocOptions { ClientId = 11, Gc = random.Next(2) == 0 });
        var b = new Doc(new DocOptions { ClientId = 22, Gc = a.Gc });
        foreach (var doc in new[] { a, b })
        {
            doc.Update += (_, e) => v1.Add(e.Update);
            doc.UpdateV2 += (_, e) => v2.Add(e.Update);
        }
        for (var i = 0; i < 40; i++)
        {
            RandomEditor.EditInTransaction(random.Next(2) == 0 ? a : b, random);
            if (random.Next(4) == 0)
            {
                DocSync.Sync(a, b);
            }
        }
        v1.Add(Y.EncodeStateAsUpdate(a));
        v1.Add(Y.EncodeStateAsUpdate(b));
        v2.Add(Y.EncodeStateAsUpdateV2(a));
        v2.Add(Y.EncodeStateAsUpdateV2(b));
        return new UpdateCorpus(v1, v2);
    }

    /// <summary>
    /// A doc to apply hostile input to: empty, or holding the first part of the history so that
    /// mutated updates can refer to structs it has (and hit the integration paths).
    /// </summary>
    public Doc NewTarget(int prefixLength, bool gc)
    {
        var doc = new Doc(new DocOptions { ClientId = 33, Gc = gc });
        var count = Math.Min(prefixLength, V1.Count);
        for (var i = 0; i < count; i++)
        {
            Y.ApplyUpdate(doc, V1[i]);
        }
        return doc;
    }
}
