using System.Collections.Frozen;
using System.Globalization;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// <c>a=fingerprint:&lt;hash&gt; &lt;HH:HH:...&gt;</c> (RFC 8122 §5): the hash of the certificate the
/// peer will present in DTLS. The hash name is kept lower-case; the digest as bytes.
/// </summary>
internal sealed record SdpFingerprint(string HashFunction, ReadOnlyMemory<byte> Digest)
{
    // Digest lengths of the hash names RFC 8122 lists; a digest of another length under one of these names is a typo or a forgery.
    private static readonly FrozenDictionary<string, int> KnownDigestLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["md2"] = 16,
        ["md5"] = 16,
        ["sha-1"] = 20,
        ["sha-224"] = 28,
        ["sha-256"] = 32,
        ["sha-384"] = 48,
        ["sha-512"] = 64,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Parses the attribute value after "fingerprint:".</summary>
    public static SdpFingerprint Parse(string value)
    {
        var parts = value.Split(' ');
        if (parts.Length != 2 || !SdpGrammar.IsToken(parts[0]) || parts[1].Length == 0)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "a=fingerprint is not '<hash function> <hex pairs joined by :>'");
        }

        var hash = parts[0].ToLowerInvariant();
        var pairs = parts[1].Split(':');
        if (pairs.Length > 64)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.TooLarge, $"a=fingerprint has {pairs.Length} bytes; at most 64");
        }

        var digest = new byte[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].Length != 2 || !char.IsAsciiHexDigit(pairs[i][0]) || !char.IsAsciiHexDigit(pairs[i][1]))
            {
                throw SdpFormat.Error(WebRtcFormatProblem.Malformed, $"a=fingerprint byte {i + 1} '{SdpGrammar.Shorten(pairs[i])}' is not two hex digits");
            }

            digest[i] = Convert.ToByte(pairs[i], 16);
        }

        if (KnownDigestLengths.TryGetValue(hash, out var expected) && expected != digest.Length)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"a {hash} fingerprint has {expected} bytes, this one {digest.Length}");
        }

        return new SdpFingerprint(hash, digest);
    }

    /// <summary>The attribute value: hash name, a space, upper-case hex pairs joined by ':' (as Chromium writes it).</summary>
    public string ToAttributeValue() => 
        $"{HashFunction} {string.Join(':', Digest.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)))}";

    public bool Equals(SdpFingerprint? other) =>
        other is not null
        && HashFunction == other.HashFunction
        && Digest.Span.SequenceEqual(other.Digest.Span);

    public override int GetHashCode() => HashCode.Combine(HashFunction, Digest.Length);
}
