using System.Security.Cryptography;
using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5): <c>a=fingerprint:sha-256 AB:CD:...</c>.
/// The value after the colon is what <see cref="Parse"/> reads and <see cref="ToString"/> writes.
/// The peer proves who it is only by presenting a certificate whose hash equals this value, so the
/// comparison runs in constant time.
/// </summary>
internal sealed class DtlsFingerprint
{
    // "sha-512 " plus 64 hex pairs and 63 colons is 199 characters; anything far longer is not a fingerprint.
    private const int MaxTextLength = 256;

    private readonly byte[] _digest;

    private DtlsFingerprint(string algorithm, byte[] digest)
    {
        Algorithm = algorithm;
        _digest = digest;
    }

    /// <summary>The hash function's SDP name in lower case: sha-1, sha-256, sha-384 or sha-512.</summary>
    public string Algorithm { get; }

    /// <summary>The hash of the DER-encoded certificate.</summary>
    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>SHA-256 of a DER certificate: the form we put in our own SDP (Chromium's choice too).</summary>
    public static DtlsFingerprint Sha256Of(ReadOnlySpan<byte> certificateDer) => new("sha-256", SHA256.HashData(certificateDer));

    /// <summary>Reads <c>hash-func SP HEX:HEX:...</c>; hex may be upper or lower case.</summary>
    /// <exception cref="WebRtcFormatException">Bad grammar, an unsupported hash, or a digest of the wrong length.</exception>
    public static DtlsFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength)
        {
            throw Refuse(WebRtcFormatProblem.TooLarge, $"fingerprint text of {text.Length} characters is over {MaxTextLength}");
        }

        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw Refuse(WebRtcFormatProblem.Malformed, "fingerprint must be '<hash-func> <HEX:HEX...>'");
        }

        var algorithm = parts[0].ToLowerInvariant();
        var expectedLength = DigestLength(algorithm)
            ?? throw Refuse(WebRtcFormatProblem.Unsupported, $"hash function '{parts[0]}' is not sha-1, sha-256, sha-384 or sha-512");
        var digest = ParseHexPairs(parts[1]);
        if (digest.Length != expectedLength)
        {
            throw Refuse(WebRtcFormatProblem.LengthMismatch, $"{algorithm} fingerprint has {digest.Length} bytes, expected {expectedLength}");
        }

        return new DtlsFingerprint(algorithm, digest);
    }

    /// <summary>True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time compare).</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        CryptographicOperations.FixedTimeEquals(Hash(Algorithm, certificateDer), _digest);

    /// <summary>The SDP form: <c>sha-256 AB:CD:...</c>, hex in upper case as RFC 8122 writes it.</summary>
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

            text.Append(_digest[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static int? DigestLength(string algorithm) => algorithm switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => null,
    };

    private static byte[] Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        "sha-1" => SHA1.HashData(data),
        "sha-256" => SHA256.HashData(data),
        "sha-384" => SHA384.HashData(data),
        "sha-512" => SHA512.HashData(data),
        _ => throw new InvalidOperationException($"no hash for {algorithm}"),
    };

    private static byte[] ParseHexPairs(string hex)
    {
        // Exactly "HH(:HH)*": two hex digits per byte, one colon between bytes, nothing else.
        if (hex.Length < 2 || (hex.Length + 1) % 3 != 0)
        {
            throw Refuse(WebRtcFormatProblem.Malformed, "fingerprint hex must be pairs of hex digits separated by ':'");
        }

        var bytes = new byte[(hex.Length + 1) / 3];
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
                throw Refuse(WebRtcFormatProblem.Malformed, $"'{hex[at]}{hex[at + 1]}' is not a hex byte");
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

    private static WebRtcFormatException Refuse(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Dtls, problem, message);
}
