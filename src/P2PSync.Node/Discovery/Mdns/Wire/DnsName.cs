using System.Text;

namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// An immutable domain name as a list of labels (UTF-8 text on the wire, RFC 6762 §16).
/// Equality and hashing ignore ASCII case only. Every instance obeys the wire limits (label 1..63
/// bytes, whole name at most 255 bytes encoded), so a name that exists can always be sent.
/// The root name has no labels.
/// </summary>
internal sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>Longest label in bytes (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelBytes = 63;

    /// <summary>Longest name in bytes as encoded without compression, length bytes and root included.</summary>
    public const int MaxWireBytes = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string[] _labels;

    private DnsName(string[] labels, int wireLength)
    {
        _labels = labels;
        WireLength = wireLength;
    }

    /// <summary>The name with no labels, written as a single zero byte.</summary>
    public static DnsName Root { get; } = new([], 1);

    /// <summary>The labels, leftmost first.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Bytes this name takes on the wire without compression (length bytes and the final zero included).</summary>
    public int WireLength { get; }

    public bool IsRoot => _labels.Length == 0;

    /// <summary>
    /// Parses dotted text such as <c>_p2psync._tcp.local</c> (a trailing dot is allowed; "" and
    /// "." are the root). There are no escapes: build names whose labels contain dots with
    /// <see cref="FromLabels"/>.
    /// </summary>
    /// <exception cref="DnsFormatException">an empty label ("a..b") or a limit is broken.</exception>
    public static DnsName Parse(string dotted)
    {
        ArgumentNullException.ThrowIfNull(dotted);
        if (dotted.Length == 0 || dotted == ".")
            return Root;
        var text = dotted.EndsWith('.') ? dotted[..^1] : dotted;
        return FromLabels(text.Split('.'));
    }

    /// <summary>Builds a name from its labels, leftmost first; labels may hold any text, dots included.</summary>
    /// <exception cref="DnsFormatException">a label is empty, over 63 UTF-8 bytes, or the name is over 255 bytes.</exception>
    public static DnsName FromLabels(params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var copy = (string[])labels.Clone();
        var wire = 1;
        foreach (var label in copy)
            wire += 1 + CheckLabel(label);
        CheckWireLength(wire);
        return new DnsName(copy, wire);
    }

    /// <summary>This name with one more label in front: <c>"x".Prepend</c> of <c>b.c</c> is <c>x.b.c</c>.</summary>
    public DnsName Prepend(string label)
    {
        var wire = WireLength + 1 + CheckLabel(label);
        CheckWireLength(wire);
        var labels = new string[_labels.Length + 1];
        labels[0] = label;
        _labels.CopyTo(labels, 1);
        return new DnsName(labels, wire);
    }

    /// <summary>
    /// True when this name equals <paramref name="parent"/> or lies under it
    /// (<c>a._p2psync._tcp.local</c> is a subdomain of <c>local</c> and of itself).
    /// </summary>
    public bool IsSubdomainOf(DnsName parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var offset = _labels.Length - parent._labels.Length;
        if (offset < 0)
            return false;
        for (var i = 0; i < parent._labels.Length; i++)
        {
            if (!AsciiCase.EqualsIgnoreCase(_labels[offset + i], parent._labels[i]))
                return false;
        }
        return true;
    }

    /// <summary>The labels joined by dots (no escaping, no trailing dot; the root is ".").</summary>
    public override string ToString() => IsRoot ? "." : string.Join('.', _labels);

    public bool Equals(DnsName? other)
    {
        if (ReferenceEquals(this, other))
            return true;
        if (other is null || other._labels.Length != _labels.Length)
            return false;
        for (var i = 0; i < _labels.Length; i++)
        {
            if (!AsciiCase.EqualsIgnoreCase(_labels[i], other._labels[i]))
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var label in _labels)
            AsciiCase.AddFolded(ref hash, label);
        return hash.ToHashCode();
    }

    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    /// <summary>
    /// Decodes one label's bytes. Labels must be valid UTF-8 (RFC 6762 §16); anything else is a
    /// format error rather than a lossy replacement, which would change the label's byte length
    /// and its identity.
    /// </summary>
    internal static string DecodeLabel(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DnsFormatException("A DNS label is not valid UTF-8.", e);
        }
    }

    /// <summary>Builds a name from labels the decoder has already measured and checked.</summary>
    internal static DnsName FromCheckedLabels(string[] labels, int wireLength) => new(labels, wireLength);

    private static int CheckLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length == 0)
            throw new DnsFormatException("A DNS label cannot be empty.");
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(label);
        }
        catch (EncoderFallbackException e)
        {
            throw new DnsFormatException("A DNS label holds an unpaired surrogate and has no UTF-8 form.", e);
        }
        if (bytes > MaxLabelBytes)
            throw new DnsFormatException($"The DNS label \"{label}\" is {bytes} bytes; at most {MaxLabelBytes} are allowed.");
        return bytes;
    }

    private static void CheckWireLength(int wire)
    {
        if (wire > MaxWireBytes)
            throw new DnsFormatException($"The DNS name would be {wire} bytes on the wire; at most {MaxWireBytes} are allowed.");
    }
}
