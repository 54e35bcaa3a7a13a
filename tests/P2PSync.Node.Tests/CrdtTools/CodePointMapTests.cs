using System.Text;
using P2PSync.Node.CrdtTools;

namespace P2PSync.Node.Tests.CrdtTools;

public sealed class CodePointMapTests
{
    [Fact]
    public void WithoutAstralCharacters_PositionsAreUnchanged()
    {
        var map = new CodePointMap();
        map.Insert(0, "hello é→");

        Assert.Equal(8, map.Length);
        Assert.Equal(5, map.ToUtf16(5));
        Assert.Equal(3, map.Utf16Length(5, 3));
    }

    [Fact]
    public void AstralCharacterCountsOnceButTakesTwoUnits()
    {
        var map = new CodePointMap();
        map.Insert(0, "a\U0001D69Db");

        Assert.Equal(3, map.Length);
        Assert.Equal(1, map.ToUtf16(1));
        Assert.Equal(3, map.ToUtf16(2));
        Assert.Equal(2, map.Utf16Length(1, 1));
        Assert.Equal(4, map.Utf16Length(0, 3));
    }

    [Fact]
    public void LoneSurrogateIsOneCodePoint()
    {
        var map = new CodePointMap();
        map.Insert(0, "a\ud800b");

        Assert.Equal(3, map.Length);
        Assert.Equal(2, map.ToUtf16(2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomEdits_MatchNaiveCodePointIndexing(int seed)
    {
        var random = new Random(seed);
        var map = new CodePointMap();
        var text = new StringBuilder();
        string[] alphabet = ["a", "b", "é", "\U0001F600", "\U0001D69D", "\n"];

        for (var step = 0; step < 2000; step++)
        {
            var current = text.ToString();
            var codePoints = CodePoints(current);
            Assert.Equal(codePoints.Count, map.Length);

            var position = random.Next(codePoints.Count + 1);
            Assert.Equal(Utf16Index(codePoints, position), map.ToUtf16(position));

            if (codePoints.Count > 0 && random.Next(3) == 0)
            {
                var count = random.Next(Math.Min(5, codePoints.Count - position) + 1);
                var utf16Start = Utf16Index(codePoints, position);
                var utf16Length = Utf16Index(codePoints, position + count) - utf16Start;
                Assert.Equal(utf16Length, map.Utf16Length(position, count));
                text.Remove(utf16Start, utf16Length);
                map.Delete(position, count);
            }
            else
            {
                var insert = new StringBuilder();
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    insert.Append(alphabet[random.Next(alphabet.Length)]);
                }

                text.Insert(map.ToUtf16(position), insert.ToString());
                map.Insert(position, insert.ToString());
            }
        }
    }

    private static List<string> CodePoints(string text)
    {
        var result = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            result.Add(pair ? text.Substring(i++, 2) : text[i].ToString());
        }

        return result;
    }

    private static int Utf16Index(List<string> codePoints, int position)
    {
        var index = 0;
        for (var i = 0; i < position; i++)
        {
            index += codePoints[i].Length;
        }

        return index;
    }
}
