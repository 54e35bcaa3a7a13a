using System.Text;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;
using P2PSync.Crdt.Tests.Support;
using static P2PSync.Crdt.Tests.Support.DocSync;
using static P2PSync.Crdt.Tests.Types.TypeTestDocs;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>
/// Three documents edit one rich text with random inserts, deletes, formats and embeds and sync
/// at random. The operation stream comes from xorshift32, which a JS script reproduces exactly;
/// the expected hashes (FNV-1a over UTF-16 units) of the event deltas, the final delta and the
/// encoded state were produced by running that script against yjs 13.6.33.
/// </summary>
public sealed class YTextRandomOracleTests
{
    [Theory]
    [InlineData(1u, 300, 10660, 1936262901u, 2856, 2394398143u, 4876, 1069308718u)]
    [InlineData(42u, 400, 14004, 2593909494u, 4581, 1689297712u, 7424, 4226134743u)]
    [InlineData(7u, 600, 19880, 2949359601u, 4465, 1444511513u, 9364, 2088032483u)]
    public void RandomConcurrentRichTextMatchesYjs(uint seed, int steps, int logLength, uint logHash, int deltaLength, uint deltaHash, int stateLength, uint stateHash)
    {
        var rnd = new XorShift32(seed);
        var docs = new[] { Create(1), Create(2), Create(3) };
        var texts = docs.Select(d => d.GetText("t")).ToArray();
        var log = new StringBuilder();
        texts[0].Observe((e, _) => log.Append(TypeTestJson.Delta(e.Delta)).Append('\n'));
        var attrChoices = new[]
        {
            Attrs(("bold", true)),
            Attrs(("bold", null)),
            Attrs(("italic", "x")),
            Attrs(("bold", true), ("italic", null)),
            Attrs(("color", Attrs(("r", 1L)))),
        };
        for (int s = 0; s < steps; s++)
        {
            int i = rnd.Next(3);
            var t = texts[i];
            int kind = rnd.Next(10);
            int len = t.Length;
            if (kind <= 3)
            {
                int index = rnd.Next(len + 1);
                int n = 1 + rnd.Next(4);
                var sb = new StringBuilder();
                for (int k = 0; k < n; k++)
                {
                    sb.Append((char)(97 + rnd.Next(26)));
                }
                switch (rnd.Next(3))
                {
                    case 0:
                        t.Insert(index, sb.ToString(), Attrs(("bold", true)));
                        break;
                    case 1:
                        t.Insert(index, sb.ToString());
                        break;
                    default:
                        t.Insert(index, sb.ToString(), new Dictionary<string, object?>());
                        break;
                }
            }
            else if (kind <= 5)
            {
                if (len > 0)
                {
                    int index = rnd.Next(len);
                    t.Delete(index, 1 + rnd.Next(Math.Min(5, len - index)));
                }
            }
            else if (kind <= 7)
            {
                if (len > 0)
                {
                    int index = rnd.Next(len);
                    int n = 1 + rnd.Next(Math.Min(6, len - index));
                    t.Format(index, n, attrChoices[rnd.Next(attrChoices.Length)]);
                }
            }
            else if (kind == 8)
            {
                t.InsertEmbed(rnd.Next(len + 1), Attrs(("img", (long)rnd.Next(100))));
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

        string delta0 = TypeTestJson.Delta(texts[0].ToDelta());
        Assert.Equal(delta0, TypeTestJson.Delta(texts[1].ToDelta()));
        Assert.Equal(delta0, TypeTestJson.Delta(texts[2].ToDelta()));
        Assert.Equal((logLength, logHash), Fnv1a.Fingerprint(log.ToString()));
        Assert.Equal((deltaLength, deltaHash), Fnv1a.Fingerprint(delta0));
        string state = Convert.ToBase64String(Y.EncodeStateAsUpdate(docs[0]));
        Assert.Equal((stateLength, stateHash), Fnv1a.Fingerprint(state));
    }
}
