using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5): <c>a=fingerprint:sha-256 AB:CD:...</c>.
/// The one type for both sides: the SDP parser and writer read and write it, OfferAnswer passes the
/// peer's list on, and the DTLS verifier checks the presented certificate against it. The peer proves
/// who it is only by presenting a certificate whose hash equals this value, so that check runs in
/// constant time. Hash names we cannot compute (md5, sha-224, private names) are kept so a
/// description round-trips, but such a fingerprint never matches anything.
/// </summary>
internal sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    // "sha-512 " plus 64 hex pairs and 63 colons is 199 characters; anything far longer is not a fingerprint.
    private const int MaxTextLength = 256;

    // SHA-512 is the longest hash RFC 8122 names; a longer digest can only be junk.
    private const int MaxDigestLength = 64;

    /// <summary>The hash names <see cref="CanVerify"/> accepts, for messages that tell a peer what we need.</summary>
    public const string VerifiableAlgorithms = "sha-1, sha-256, sha-384, sha-512";

    private readonly byte[] _digest;

    private DtlsFingerprint(string algorithm, byte[] digest)
    {
        Algorithm = algorithm;
        _digest = digest;
    }

    /// <summary>The hash function's SDP name in lower case (RFC 8122 hash names are case-insensitive).</summary>
    public string Algorithm { get; }

    /// <summary>The hash of the DER-encoded certificate.</summary>
    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>
    /// True for the hashes we can compute and therefore verify: sha-1, sha-256, sha-384, sha-512.
    /// We only ever write sha-256 (notes §0: Chromium and werift both do), but a peer may list others too.
    /// </summary>
    public bool CanVerify => Hash(Algorithm, []) is not null;

    /// <summary>SHA-256 of a DER certificate: the form we put in our own SDP (Chromium's choice too).</summary>
    public static DtlsFingerprint Sha256Of(ReadOnlySpan<byte> certificateDer) => new("sha-256", SHA256.HashData(certificateDer));

    /// <summary>A fingerprint from its parts, checked as strictly as <see cref="Parse"/> checks text.</summary>
    /// <exception cref="WebRtcFormatException">A hash name that is not an SDP token, or a digest of the wrong length.</exception>
    public static DtlsFingerprint Create(string algorithm, ReadOnlySpan<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        if (!IsToken(algorithm))
        {
            throw Refuse(WebRtcFormatProblem.Malformed, "a fingerprint's hash name must be an SDP token");
        }

        var name = algorithm.ToLowerInvariant();
        CheckLength(name, digest.Length);
        return new DtlsFingerprint(name, digest.ToArray());
    }

    /// <summary>
    /// Reads the attribute value <c>hash-func SP HH:HH:...</c> exactly (one space, no padding);
    /// hex and hash name may be upper or lower case.
    /// </summary>
    /// <exception cref="WebRtcFormatException">
    /// Layer SDP, because this is the a=fingerprint grammar: bad grammar, over 64 bytes, or a digest
    /// whose length does not fit a hash name RFC 8122 lists.
    /// </exception>
    public static DtlsFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength)
        {
            throw Refuse(WebRtcFormatProblem.TooLarge, $"fingerprint text of {text.Length} characters is over {MaxTextLength}");
        }

        var parts = text.Split(' ');
        if (parts.Length != 2 || !IsToken(parts[0]) || parts[1].Length == 0)
        {
            throw Refuse(WebRtcFormatProblem.Malformed, "a=fingerprint is not '<hash function> <hex pairs joined by :>'");
        }

        return Create(parts[0], ParseHexPairs(parts[1]));
    }

    /// <summary>
    /// True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time compare).
    /// Always false for a hash we cannot compute: an unverifiable fingerprint must not let anyone in.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        var hash = Hash(Algorithm, certificateDer);
        return hash is not null && CryptographicOperations.FixedTimeEquals(hash, _digest);
    }

    /// <summary>The SDP form: <c>sha-256 AB:CD:...</c>, hex in upper case as RFC 8122 and Chromium write it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Algorithm.Length + 1 + (_digest.Length * 3));
        text.Append(Algorithm).Append(' ');
        for (var i = 0; i < _digest.Length; i++)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(_digest[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    // Value equality compares descriptions (a re-parsed SDP equals the original); it is not the
    // authentication check, which is Matches and constant-time.
    public bool Equals(DtlsFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && _digest.AsSpan().SequenceEqual(other._digest);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode() => HashCode.Combine(Algorithm, _digest.Length);

    private static void CheckLength(string algorithm, int length)
    {
        if (length > MaxDigestLength)
        {
            throw Refuse(WebRtcFormatProblem.TooLarge, $"a fingerprint of {length} bytes is over {MaxDigestLength}");
        }

        var expected = KnownDigestLength(algorithm);
        if (length == 0 || (expected is not null && expected != length))
        {
            throw Refuse(WebRtcFormatProblem.LengthMismatch, $"a {algorithm} fingerprint has {expected?.ToString(CultureInfo.InvariantCulture) ?? "at least 1"} bytes, this one {length}");
        }
    }

    // The hash names RFC 8122 §5 lists; under one of these a digest of another length is a typo or a forgery.
    private static int? KnownDigestLength(string algorithm) => algorithm switch
    {
        "md2" or "md5" => 16,
        "sha-1" => 20,
        "sha-224" => 28,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => null,
    };

    private static byte[]? Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        "sha-1" => SHA1.HashData(data),
        "sha-256" => SHA256.HashData(data),
        "sha-384" => SHA384.HashData(data),
        "sha-512" => SHA512.HashData(data),
        _ => null,
    };

    private static byte[] ParseHexPairs(string hex)
    {
        // Exactly "HH(:HH)*": two hex digits per byte, one colon between bytes, nothing else.
        if (hex.Length < 2 || (hex.Length + 1) % 3 != 0)
        {
            throw Refuse(WebRtcFormatProblem.Malformed, "fingerprint hex must be pairs of hex digits separated by ':'");
        }

        var bytes = new byte[(hex.Length + 1) / 3];
        if (bytes.Length > MaxDigestLength)
        {
            throw Refuse(WebRtcFormatProblem.TooLarge, $"a=fingerprint has {bytes.Length} bytes; at most {MaxDigestLength}");
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            var at = i * 3;
            if (at + 2 < hex.Length && hex[at + 2] != ':')
            {
                throw Refuse(WebRtcFormatProblem.Malformed, $"expected ':' at position {at + 2} of the fingerprint");
            }

            var high = HexValue(hex[at]);
            var low = HexValue(hex[at + 1]);
            if (high < 0 || low < 0)
            {
                throw Refuse(WebRtcFormatProblem.Malformed, $"byte {i + 1} of the fingerprint is not two hex digits");
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        return bytes;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    // RFC 8122's hash-func is an SDP token (RFC 4566 token-char); the same set SdpGrammar checks.
    private static bool IsToken(string value) => Sdp.SdpGrammar.IsToken(value);

    private static WebRtcFormatException Refuse(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Sdp, problem, message);
}
