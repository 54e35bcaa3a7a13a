using System.Buffers;
using System.Buffers.Binary;
using P2PSync.Node.Crypto;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The binary form of a <see cref="MembershipEntry"/> (docs/protocol/membership-log.md):
/// <code>
///   offset size
///   0      1    version = 1
///   1      1    kind: 1 AddMember, 2 ChangeRole, 3 RemoveMember, 4 RotateKey, 5 OpenInvite, 6 CloseInvite
///   2      16   space id
///   18     8    sequence number, unsigned big-endian
///   26     32   previous-entry hash (BLAKE2b-256; all zeros for sequence 0)
///   58     32   author Ed25519 public key (its DeviceId)
///   90     ..   payload, by kind:
///                 AddMember, ChangeRole: 32 subject public key, 1 role (1 Owner, 2 Editor, 3 Viewer)
///                 OpenInvite:            32 invite public key, 1 role
///                 RemoveMember:          32 subject public key
///                 CloseInvite:           32 invite public key
///                 RotateKey:             8 new epoch, unsigned big-endian
///   end-64 64   Ed25519 signature over Domain || bytes [0, end-64)
/// </code>
/// Every kind has one fixed length and nothing may follow it, so each entry has exactly one
/// encoding and the signed bytes are canonical.
/// </summary>
internal static class MembershipEntryCodec
{
    public const byte Version = 1;
    public const int HeaderLength = 90;
    public const int MemberPayloadLength = DeviceId.KeyLength + 1;
    public const int RemovePayloadLength = DeviceId.KeyLength;
    public const int RotatePayloadLength = 8;
    public const int SignatureLength = Sodium.Ed25519SignatureBytes;

    /// <summary>
    /// Prefixed to the signed bytes so a membership signature can never be mistaken for a signature
    /// the same device key makes in another protocol (updates, handshakes), and vice versa.
    /// </summary>
    public static ReadOnlySpan<byte> Domain => "p2psync/membership-entry/v1\0"u8;

    private const int KindOffset = 1;
    private const int SpaceOffset = 2;
    private const int SequenceOffset = SpaceOffset + SpaceId.Length;
    private const int PreviousHashOffset = SequenceOffset + 8;
    private const int AuthorOffset = PreviousHashOffset + MembershipEntry.HashLength;

    /// <summary>The encoded length of an entry of <paramref name="kind"/>.</summary>
    public static int EncodedLength(MembershipEntryKind kind) => HeaderLength + PayloadLength(kind) + SignatureLength;

    /// <summary>The entry's bytes, signature included.</summary>
    public static byte[] Encode(MembershipEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(EncodedLength(entry.Kind));
        Write(entry, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the entry's bytes, signature included.</summary>
    public static void Write(MembershipEntry entry, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(output);
        var length = EncodedLength(entry.Kind);
        var span = output.GetSpan(length)[..length];
        WriteUnsigned(entry, span);
        entry.Signature.CopyTo(span[(length - SignatureLength)..]);
        output.Advance(length);
    }

    /// <summary>Reads one entry that fills <paramref name="bytes"/> exactly. Checks form only; the log checks the signature.</summary>
    /// <exception cref="MembershipFormatException">Empty, truncated, too long, or an unknown version, kind or role.</exception>
    public static MembershipEntry Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength + SignatureLength)
        {
            throw new MembershipFormatException($"A membership entry is at least {HeaderLength + SignatureLength} bytes; this one has {bytes.Length}.");
        }

        if (bytes[0] != Version)
        {
            throw new MembershipFormatException($"Membership entry version {bytes[0]} is not supported (expected {Version}).");
        }

        var kind = (MembershipEntryKind)bytes[KindOffset];
        if (!Enum.IsDefined(kind))
        {
            throw new MembershipFormatException($"Membership entry kind {bytes[KindOffset]} is unknown.");
        }

        var expected = EncodedLength(kind);
        if (bytes.Length != expected)
        {
            throw new MembershipFormatException($"A {kind} entry is {expected} bytes; this one has {bytes.Length}.");
        }

        var space = SpaceId.FromBytes(bytes.Slice(SpaceOffset, SpaceId.Length));
        var sequence = BinaryPrimitives.ReadUInt64BigEndian(bytes[SequenceOffset..]);
        var previousHash = bytes.Slice(PreviousHashOffset, MembershipEntry.HashLength);
        var author = DeviceId.FromPublicKey(bytes.Slice(AuthorOffset, DeviceId.KeyLength));
        var payload = bytes[HeaderLength..(expected - SignatureLength)];
        var signature = bytes[(expected - SignatureLength)..];

        DeviceId subject = default;
        SpaceRole role = 0;
        ulong epoch = 0;
        switch (kind)
        {
            case MembershipEntryKind.AddMember or MembershipEntryKind.ChangeRole or MembershipEntryKind.OpenInvite:
                subject = DeviceId.FromPublicKey(payload[..DeviceId.KeyLength]);
                role = (SpaceRole)payload[DeviceId.KeyLength];
                if (!Enum.IsDefined(role))
                {
                    throw new MembershipFormatException($"Role {payload[DeviceId.KeyLength]} in a {kind} entry is unknown (1 Owner, 2 Editor, 3 Viewer).");
                }

                break;
            case MembershipEntryKind.RemoveMember or MembershipEntryKind.CloseInvite:
                subject = DeviceId.FromPublicKey(payload);
                break;
            default:
                epoch = BinaryPrimitives.ReadUInt64BigEndian(payload);
                break;
        }

        return new MembershipEntry(kind, space, sequence, previousHash, author, subject, role, epoch, signature);
    }

    /// <summary>Domain || every encoded byte before the signature: what the author signs and what the hash covers.</summary>
    internal static byte[] SignedBytes(MembershipEntry entry)
    {
        var unsignedLength = EncodedLength(entry.Kind) - SignatureLength;
        var bytes = new byte[Domain.Length + unsignedLength];
        Domain.CopyTo(bytes);
        WriteUnsigned(entry, bytes.AsSpan(Domain.Length));
        return bytes;
    }

    private static int PayloadLength(MembershipEntryKind kind) => kind switch
    {
        MembershipEntryKind.AddMember or MembershipEntryKind.ChangeRole or MembershipEntryKind.OpenInvite => MemberPayloadLength,
        MembershipEntryKind.RemoveMember or MembershipEntryKind.CloseInvite => RemovePayloadLength,
        MembershipEntryKind.RotateKey => RotatePayloadLength,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a membership entry kind."),
    };

    // Writes everything but the signature into the first bytes of destination.
    private static void WriteUnsigned(MembershipEntry entry, Span<byte> destination)
    {
        destination[0] = Version;
        destination[KindOffset] = (byte)entry.Kind;
        entry.Space.Bytes.CopyTo(destination[SpaceOffset..]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[SequenceOffset..], entry.Sequence);
        entry.PreviousHash.CopyTo(destination[PreviousHashOffset..]);
        entry.Author.PublicKey.Span.CopyTo(destination[AuthorOffset..]);
        var payload = destination[HeaderLength..];
        switch (entry.Kind)
        {
            case MembershipEntryKind.AddMember or MembershipEntryKind.ChangeRole or MembershipEntryKind.OpenInvite:
                entry.Subject.PublicKey.Span.CopyTo(payload);
                payload[DeviceId.KeyLength] = (byte)entry.Role;
                break;
            case MembershipEntryKind.RemoveMember or MembershipEntryKind.CloseInvite:
                entry.Subject.PublicKey.Span.CopyTo(payload);
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(payload, entry.Epoch);
                break;
        }
    }
}
