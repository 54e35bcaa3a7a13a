namespace P2PSync.Node.CrdtTools;

/// <summary>
/// Tracks where the astral-plane characters (two UTF-16 units each) of an evolving text are, so
/// that trace positions, which count code points, can be turned into the UTF-16 indexes YText
/// uses without re-scanning the text on every edit. Real traces hold few astral characters, so
/// a sorted list of their positions is both small and fast.
/// </summary>
internal sealed class CodePointMap
{
    // Code-point positions of the astral characters in the current text, ascending.
    private readonly List<int> _astral = new();

    /// <summary>Length of the current text in code points.</summary>
    public int Length { get; private set; }

    /// <summary>The UTF-16 index of code point <paramref name="position"/>.</summary>
    public int ToUtf16(int position) => position + CountBefore(position);

    /// <summary>How many UTF-16 units the <paramref name="count"/> code points at <paramref name="position"/> take.</summary>
    public int Utf16Length(int position, int count) =>
        count + CountBefore(position + count) - CountBefore(position);

    /// <summary>Records the removal of <paramref name="count"/> code points at <paramref name="position"/>.</summary>
    public void Delete(int position, int count)
    {
        if (_astral.Count > 0)
        {
            var first = CountBefore(position);
            var last = CountBefore(position + count);
            _astral.RemoveRange(first, last - first);
            for (var i = first; i < _astral.Count; i++)
            {
                _astral[i] -= count;
            }
        }

        Length -= count;
    }

    /// <summary>Records the insertion of <paramref name="text"/> at code point <paramref name="position"/>.</summary>
    public void Insert(int position, string text)
    {
        var codePoints = text.Length;
        List<int>? added = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                added ??= new List<int>();
                added.Add(position + i - (text.Length - codePoints));
                codePoints--;
                i++;
            }
        }

        if (_astral.Count > 0 || added is not null)
        {
            var at = CountBefore(position);
            for (var i = at; i < _astral.Count; i++)
            {
                _astral[i] += codePoints;
            }

            if (added is not null)
            {
                _astral.InsertRange(at, added);
            }
        }

        Length += codePoints;
    }

    /// <summary>The code-point length of <paramref name="text"/> (a surrogate pair counts once).</summary>
    public static int CountCodePoints(string text)
    {
        var count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    private int CountBefore(int position)
    {
        if (_astral.Count == 0)
        {
            return 0;
        }

        var index = _astral.BinarySearch(position);
        return index >= 0 ? index : ~index;
    }
}
