using System.Text;
using P2PSync.Crdt.Types;
using P2PSync.Crdt.Tests.Support;
using static P2PSync.Crdt.Tests.Support.DocSync;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>
/// Three documents edit one array (values, nested maps) at random and sync at random, which
/// exercises search markers under local and remote changes. The xorshift32 operation stream is
/// reproduced by a JS script; the expected hashes (FNV-1a over UTF-16 units) of the deep event
/// log and random reads, the final JSON and the encoded state come from yjs 13.6.33.
/// </summary>
public sealed class YArrayRandomOracleTests
{
    [Theory]
    [InlineData(3u, 400, 7610, 3832428416u, 646, 2234210102u, 2664, 3928173342u)]
    [InlineData(99u, 800, 19064, 2357675961u, 1439, 486647533u, 6036, 1794962707u)]
    public void RandomConcurrentArrayEditsMatchYjs(uint seed, int steps, int logLength, uint logHash, int jsonLength, uint jsonHash, int stateLength, uint stateHash)
    {
        var rnd = new XorShift32(seed);
        var docs = new[] { Create(1), Create(2), Create(3) };
        var arrs = docs.Select(d => d.GetArray("a")).ToArray();
        var log = new StringBuilder();
        arrs[0].ObserveDeep((es, _) =>
        {
            var parts = es.Select(e => $"[{TypeTestJson.Value(e.Path.ToList())},{TypeTestJson.Delta(e.Delta)},{TypeTestKeys.Json(e.Keys)}]");
            log.Append('[').AppendJoin(",", parts).Append("]\n");
        });
        for (int s = 0; s < steps; s++)
        {
            int i = rnd.Next(3);
            var a = arrs[i];
            int kind = rnd.Next(12);
            int len = a.Length;
            if (kind <= 3)
            {
                int index = rnd.Next(len + 1);
                int n = 1 + rnd.Next(3);
                var c = new List<object?>();
                for (int k = 0; k < n; k++)
                {
                    c.Add(rnd.Next(2) == 0 ? (long)rnd.Next(1000) : "s" + rnd.Next(10));
                }
                a.Insert(index, c);
            }
            else if (kind <= 5)
            {
                if (len > 0)
                {
                    int index = rnd.Next(len);
                    a.Delete(index, 1 + rnd.Next(Math.Min(4, len - index)));
                }
            }
            else if (kind == 6)
            {
                a.Push(new object?[] { (long)rnd.Next(50) });
            }
            else if (kind == 7)
            {
                var m = new YMap();
                m.Set("k", (long)rnd.Next(10));
                a.Insert(rnd.Next(len + 1), new object?[] { m });
            }
            else if (kind == 8)
            {
                if (len > 0 && a.Get(rnd.Next(len)) is YMap v)
                {
                    v.Set("k" + rnd.Next(3), (long)rnd.Next(100));
                }
            }
            else if (kind == 9)
            {
                if (len > 0)
                {
                    log.Append(TypeTestJson.Value(a.Get(rnd.Next(len)))).Append('\n');
                }
            }
            else
            {
                int j = rnd.Next(3);
                if (j != i)
                {
                    Sync(docs[i], docs[j]);
                }
            }
        }
        SyncAll(docs);

        string json = TypeTestJson.Value(arrs[0].ToJson());
        Assert.Equal(json, TypeTestJson.Value(arrs[2].ToJson()));
        Assert.Equal((logLength, logHash), Fnv1a.Fingerprint(log.ToString()));
        Assert.Equal((jsonLength, jsonHash), Fnv1a.Fingerprint(json));
        string state = Convert.ToBase64String(Y.EncodeStateAsUpdate(docs[0]));
        Assert.Equal((stateLength, stateHash), Fnv1a.Fingerprint(state));
    }
}
