using System.Buffers.Binary;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The parsed header of a sealed envelope and a view of its ciphertext, over the caller's bytes
/// (a ref struct, so parsing copies nothing; docs/protocol/sealed-envelope.md):
/// <code>
///  0     1      2             18           26            50
///  +-----+------+-------------+------------+-------------+--------------------------------------+
///  | ver | kind | space id 16 | epoch u64BE| nonce 24    | XChaCha20-Poly1305(key[epoch], nonce, |
///  | =1  |      |             |            | (random)    |   plaintext, AAD = bytes 0..25) + tag |
///  +-----+------+-------------+------------+-------------+--------------------------------------+
///  kind 1 = a SignedRecord, 2 = a node message (protobuf Envelope bytes)
/// </code>
/// Parsing checks form only; <see cref="SpaceSealer.Open"/> authenticates.
/// </summary>
internal readonly ref struct SealedEnvelope
{
    public const byte Version = 1;
    public const int AssociatedDataLength = 26;
    public const int HeaderLength = AssociatedDataLength + XChaCha20Poly1305.NonceBytes;
    public const int MinLength = HeaderLength + XChaCha20Poly1305.TagBytes;

    /// <summary>Largest plaintext: a whole signed record, or a node message of the same bound.</summary>
    public const int MaxPlaintextBytes = SignedRecordCodec.MaxRecordBytes;

    public const int MaxLength = MinLength + MaxPlaintextBytes;

    internal const int KindOffset = 1;
    internal const int SpaceOffset = 2;
    internal const int EpochOffset = SpaceOffset + SpaceId.Length;

    private SealedEnvelope(ReadOnlySpan<byte> bytes)
    {
        Kind = (SealedEnvelopeKind)bytes[KindOffset];
        SpaceBytes = bytes.Slice(SpaceOffset, SpaceId.Length);
        Epoch = BinaryPrimitives.ReadUInt64BigEndian(bytes[EpochOffset..]);
        AssociatedData = bytes[..AssociatedDataLength];
        Nonce = bytes.Slice(AssociatedDataLength, XChaCha20Poly1305.NonceBytes);
        Ciphertext = bytes[HeaderLength..];
    }

    public SealedEnvelopeKind Kind { get; }

    /// <summary>The space id bytes as sealed (use <see cref="Space"/> for a <see cref="SpaceId"/>).</summary>
    public ReadOnlySpan<byte> SpaceBytes { get; }

    /// <summary>The space this envelope claims to belong to (authenticated only once opened).</summary>
    public SpaceId Space => SpaceId.FromBytes(SpaceBytes);

    /// <summary>The key epoch it claims to be sealed under.</summary>
    public ulong Epoch { get; }

    /// <summary>Bytes 0..25 (version, kind, space, epoch): authenticated with the ciphertext.</summary>
    public ReadOnlySpan<byte> AssociatedData { get; }

    public ReadOnlySpan<byte> Nonce { get; }

    /// <summary>Encrypted plaintext followed by the 16-byte tag.</summary>
    public ReadOnlySpan<byte> Ciphertext { get; }

    /// <summary>The plaintext length once opened.</summary>
    public int PlaintextLength => Ciphertext.Length - XChaCha20Poly1305.TagBytes;

    /// <summary>Reads the header of <paramref name="bytes"/>, which must be one whole envelope.</summary>
    /// <exception cref="SealedEnvelopeException"><see cref="SealedEnvelopeProblem.Malformed"/>: too short, too long, unknown version or kind.</exception>
    public static SealedEnvelope Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinLength)
        {
            throw Malformed($"A sealed envelope is at least {MinLength} bytes; this one has {bytes.Length}.");
        }

        if (bytes.Length > MaxLength)
        {
            throw Malformed($"A sealed envelope is at most {MaxLength} bytes; this one has {bytes.Length}.");
        }

        if (bytes[0] != Version)
        {
            throw Malformed($"Sealed envelope version {bytes[0]} is not supported (expected {Version}).");
        }

        if (!Enum.IsDefined((SealedEnvelopeKind)bytes[KindOffset]))
        {
            throw Malformed($"Sealed envelope kind {bytes[KindOffset]} is unknown (1 signed record, 2 node message, 4 invite package, 5 WebRTC rendezvous).");
        }

        return new SealedEnvelope(bytes);
    }

    private static SealedEnvelopeException Malformed(string message) => new(SealedEnvelopeProblem.Malformed, message);
}
