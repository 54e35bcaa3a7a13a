using System.Text;

namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// TXT rdata: a list of character strings of at most 255 bytes each. DNS-SD puts
/// <c>key=value</c> pairs in them (RFC 6763 §6). An empty TXT record is one zero-length string
/// on the wire (RFC 6763 §6.1), so an empty list is normalised to exactly that: a record built
/// from no pairs and the same record decoded from the wire are equal.
/// </summary>
internal sealed record TxtData : DnsRecordData
{
    /// <summary>Longest character string (one length byte).</summary>
    public const int MaxStringBytes = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[][] _strings;

    /// <exception cref="DnsFormatException">a string is longer than 255 bytes.</exception>
    public TxtData(IReadOnlyList<byte[]> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        if (strings.Count == 0)
        {
            _strings = [[]];
            return;
        }
        _strings = new byte[strings.Count][];
        for (var i = 0; i < strings.Count; i++)
        {
            var s = strings[i] ?? throw new ArgumentNullException(nameof(strings), "A TXT string is null.");
            if (s.Length > MaxStringBytes)
                throw new DnsFormatException($"TXT string {i} is {s.Length} bytes; at most {MaxStringBytes} are allowed.");
            // Copied so the record stays immutable whatever the caller does with its arrays.
            _strings[i] = (byte[])s.Clone();
        }
    }

    /// <summary>The character strings (never empty: at least one, possibly zero-length).</summary>
    public IReadOnlyList<byte[]> Strings => Array.ConvertAll(_strings, s => (byte[])s.Clone());

    internal IReadOnlyList<byte[]> StringsUnsafe => _strings;

    /// <summary>
    /// Builds <c>key=value</c> strings in the given order. Keys must be 1+ printable ASCII
    /// characters without '=' (RFC 6763 §6.4); values are UTF-8 text.
    /// </summary>
    /// <exception cref="DnsFormatException">a key is empty or not printable ASCII, or a pair is over 255 bytes.</exception>
    public static TxtData FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var strings = new List<byte[]>();
        foreach (var (key, value) in pairs)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            if (key.Length == 0)
                throw new DnsFormatException("A TXT key cannot be empty.");
            foreach (var c in key)
            {
                if (c is < (char)0x20 or > (char)0x7E or '=')
                    throw new DnsFormatException($"The TXT key \"{key}\" must be printable ASCII without '='.");
            }
            byte[] bytes;
            try
            {
                bytes = StrictUtf8.GetBytes(key + "=" + value);
            }
            catch (EncoderFallbackException e)
            {
                throw new DnsFormatException($"The TXT value of \"{key}\" holds an unpaired surrogate.", e);
            }
            if (bytes.Length > MaxStringBytes)
                throw new DnsFormatException($"The TXT pair \"{key}\" is {bytes.Length} bytes; at most {MaxStringBytes} are allowed.");
            strings.Add(bytes);
        }
        return new TxtData(strings);
    }

    /// <summary>
    /// Looks a key up, ignoring ASCII case; the first occurrence wins (RFC 6763 §6.4). A key
    /// present without '=' yields an empty value. Values are decoded as UTF-8, invalid bytes
    /// replaced, because a value is free-form and one odd byte must not hide the pair.
    /// </summary>
    public bool TryGet(string key, out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var s in _strings)
        {
            if (TrySplit(s, out var k, out var v) && AsciiCase.EqualsIgnoreCase(k, key))
            {
                value = v;
                return true;
            }
        }
        value = "";
        return false;
    }

    /// <summary>All pairs, keys ASCII-case-insensitive, first occurrence wins; empty strings skipped.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in _strings)
        {
            if (TrySplit(s, out var k, out var v))
                result.TryAdd(k, v);
        }
        return result;
    }

    public bool Equals(TxtData? other)
    {
        if (other is null || other._strings.Length != _strings.Length)
            return false;
        for (var i = 0; i < _strings.Length; i++)
        {
            if (!_strings[i].AsSpan().SequenceEqual(other._strings[i]))
                return false;
        }
        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var s in _strings)
        {
            hash.Add(s.Length);
            hash.AddBytes(s);
        }
        return hash.ToHashCode();
    }

    private static bool TrySplit(byte[] s, out string key, out string value)
    {
        // A string starting with '=' has no key and is ignored (RFC 6763 §6.4); so is an empty one.
        var eq = Array.IndexOf(s, (byte)'=');
        if (s.Length == 0 || eq == 0)
        {
            key = value = "";
            return false;
        }
        key = Encoding.UTF8.GetString(s, 0, eq < 0 ? s.Length : eq);
        value = eq < 0 ? "" : Encoding.UTF8.GetString(s, eq + 1, s.Length - eq - 1);
        return true;
    }
}
