using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>Text content (ref 4): one clock tick per UTF-16 code unit, like JS strings.</summary>
/// <remarks>
/// Typing one character per transaction merges every keystroke into the item before it, so a
/// run of typing appends to the same content over and over. JS gets away with <c>str +=</c>
/// because V8 builds ropes; a .NET string would be copied whole on every append, which makes
/// typing quadratic. So the text lives in one of two forms: a fixed <see cref="string"/>
/// (what decoding and local inserts produce) or, once merged into, a growable char buffer that
/// later merges append to. Reading <see cref="Str"/> turns the buffer back into an exact
/// string, which also drops the buffer's spare capacity.
/// </remarks>
internal sealed class ContentString : IContent
{
    /// <summary>The smallest buffer a merge allocates, so short runs do not regrow at every keystroke.</summary>
    private const int MinBufferCapacity = 8;

    // Either the exact string or a Buffer. One field keeps the object as small as a plain string
    // reference would: a doc has one of these per text item.
    private object _text;

    public ContentString(string str)
    {
        _text = str;
    }

    /// <summary>The text as a string (materialised from the merge buffer and cached on first read).</summary>
    public string Str
    {
        get
        {
            if (_text is string s)
            {
                return s;
            }
            var materialised = ((Buffer)_text).Span.ToString();
            _text = materialised;
            return materialised;
        }
    }

    /// <summary>The text without materialising a string; valid until this content changes.</summary>
    public ReadOnlySpan<char> Span => _text is string s ? s.AsSpan() : ((Buffer)_text).Span;

    public int Length => _text is string s ? s.Length : ((Buffer)_text).Length;

    public bool Countable => true;

    public int Ref => 4;

    /// <summary>One single-unit string per clock tick (JS <c>str.split('')</c>).</summary>
    public IReadOnlyList<object?> GetContent()
    {
        var text = Span;
        var chars = new object?[text.Length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = text[i].ToString();
        }
        return chars;
    }

    public IContent Copy() => new ContentString(_text as string ?? Span.ToString());

    public IContent Splice(int offset)
    {
        var text = Span;
        string right;
        // Splitting a surrogate pair would leave two halves that cannot be encoded as UTF-8
        // (yjs issue #248); yjs replaces both halves with U+FFFD and so must we to stay in sync.
        // Like yjs, the right half loses its first unit even if that is not the low surrogate.
        var splitsPair = offset > 0 && char.IsHighSurrogate(text[offset - 1]);
        if (splitsPair)
        {
            right = offset < text.Length ? string.Concat("\ufffd", text[(offset + 1)..]) : "\ufffd";
        }
        else
        {
            right = text[offset..].ToString();
        }

        if (_text is Buffer buffer)
        {
            // Keep the buffer, cut to the left half: typing then deleting at the end of a run
            // splits it at every backspace, and copying the whole left half each time would be
            // quadratic again.
            buffer.Length = offset;
            if (splitsPair)
            {
                buffer.Chars[offset - 1] = '\ufffd';
            }
        }
        else
        {
            var str = (string)_text;
            _text = splitsPair ? string.Concat(str.AsSpan(0, offset - 1), "\ufffd") : str[..offset];
        }
        return new ContentString(right);
    }

    public bool MergeWith(IContent right)
    {
        var appended = ((ContentString)right).Span;
        if (_text is not Buffer buffer)
        {
            // The first merge allocates exactly what it needs: many items merge once and never again.
            var text = (string)_text;
            buffer = new Buffer(new char[Math.Max(text.Length + appended.Length, MinBufferCapacity)], text.Length);
            text.CopyTo(buffer.Chars);
            _text = buffer;
        }
        buffer.Append(appended);
        return true;
    }

    public void Integrate(Transaction transaction, Item item)
    {
    }

    public void Delete(Transaction transaction)
    {
    }

    public void Gc(StructStore store)
    {
    }

    public void Write(IUpdateEncoder encoder, int offset) => encoder.WriteString(Span[offset..]);

    public static ContentString Read(IUpdateDecoder decoder) => new(decoder.ReadString());

    /// <summary>The text while merges keep appending to it: the first <see cref="Length"/> chars of <see cref="Chars"/>.</summary>
    private sealed class Buffer
    {
        public Buffer(char[] chars, int length)
        {
            Chars = chars;
            Length = length;
        }

        public char[] Chars;

        public int Length;

        public ReadOnlySpan<char> Span => Chars.AsSpan(0, Length);

        public void Append(ReadOnlySpan<char> text)
        {
            var newLength = Length + text.Length;
            if (newLength > Chars.Length)
            {
                // Doubling makes a run of merges cost amortised O(1) each.
                var grown = new char[Math.Max(newLength, (int)Math.Min(Array.MaxLength, 2L * Chars.Length))];
                Span.CopyTo(grown);
                Chars = grown;
            }
            text.CopyTo(Chars.AsSpan(Length));
            Length = newLength;
        }
    }
}
