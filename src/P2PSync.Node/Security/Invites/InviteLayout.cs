using System.Buffers.Binary;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// The binary payload inside an invite code (version 1), before the checksum is appended and the
/// whole is written in base32. See docs/protocol/invite-code.md.
/// </summary>
/// <remarks>
/// <code>
///   offset size
///   0      1    format version (1)
///   1      1    role: 1 editor, 2 viewer
///   2      16   space id
///   18     32   inviter DeviceId (Ed25519 public key)
///   50     5    expiry, Unix seconds, unsigned big-endian (40 bits reach past year 9999)
///   55     32   one-time secret
///   87     1    address count n (0..8)
///   88     ...  n times: length L (1..255), L bytes of UTF-8 "host:port"
/// </code>
/// The version comes first so that a later format can change everything after it, checksum included.
/// </remarks>
internal static class InviteLayout
{
    public const int RoleOffset = 1;
    public const int SpaceIdOffset = 2;
    public const int InviterOffset = SpaceIdOffset + InviteCode.SpaceIdBytes;
    public const int ExpiryOffset = InviterOffset + DeviceId.KeyLength;
    public const int ExpiryBytes = 5;
    public const int SecretOffset = ExpiryOffset + ExpiryBytes;
    public const int AddressCountOffset = SecretOffset + InviteCode.SecretBytes;
    public const int FixedBytes = AddressCountOffset + 1;

    /// <summary>The longest payload: every address at its longest.</summary>
    public const int MaxBytes = FixedBytes + (InviteAddress.MaxCount * (1 + InviteAddress.MaxBytes));

    public static byte[] Write(InviteCode invite)
    {
        var addresses = invite.InviterAddresses.Select(InviteAddress.ToBytes).ToArray();
        var payload = new byte[FixedBytes + addresses.Sum(a => 1 + a.Length)];
        payload[0] = invite.FormatVersion;
        payload[RoleOffset] = (byte)invite.Role;
        invite.SpaceId.CopyTo(payload.AsSpan(SpaceIdOffset));
        invite.Inviter.PublicKey.Span.CopyTo(payload.AsSpan(InviterOffset));
        WriteUInt40(payload.AsSpan(ExpiryOffset, ExpiryBytes), (ulong)invite.ExpiresAtUnixSeconds);
        invite.Secret.CopyTo(payload.AsSpan(SecretOffset));
        payload[AddressCountOffset] = (byte)addresses.Length;
        var position = FixedBytes;
        foreach (var address in addresses)
        {
            payload[position++] = (byte)address.Length;
            address.CopyTo(payload, position);
            position += address.Length;
        }

        return payload;
    }

    /// <summary>
    /// Walks the length fields of <paramref name="bytes"/> (which may run on into the checksum or
    /// stop short) to learn how long the payload claims to be, without trusting anything else.
    /// </summary>
    public static InvitePayloadMeasure MeasurePayload(ReadOnlySpan<byte> bytes, out int length)
    {
        length = FixedBytes;
        if (bytes.Length < FixedBytes)
        {
            return InvitePayloadMeasure.Incomplete;
        }

        var count = bytes[AddressCountOffset];
        if (count > InviteAddress.MaxCount)
        {
            return InvitePayloadMeasure.Impossible;
        }

        for (var i = 0; i < count; i++)
        {
            if (length >= bytes.Length)
            {
                return InvitePayloadMeasure.Incomplete;
            }

            var addressLength = bytes[length];
            if (addressLength == 0)
            {
                return InvitePayloadMeasure.Impossible;
            }

            length += 1 + addressLength;
        }

        return InvitePayloadMeasure.Complete;
    }

    /// <summary>Reads a payload whose checksum already matched; a field out of range is still refused.</summary>
    /// <exception cref="InviteCodeException">A field no genuine encoder writes.</exception>
    public static InviteCode Read(ReadOnlySpan<byte> payload)
    {
        var role = (InviteRole)payload[RoleOffset];
        if (role is not (InviteRole.Editor or InviteRole.Viewer))
        {
            throw Malformed($"role {payload[RoleOffset]} is not editor or viewer");
        }

        var expiry = ReadUInt40(payload.Slice(ExpiryOffset, ExpiryBytes));
        if (expiry > (ulong)InviteCode.MaxExpiresAtUnixSeconds)
        {
            throw Malformed("its expiry lies beyond the year 9999");
        }

        var addresses = new List<string>();
        var position = FixedBytes;
        for (var i = 0; i < payload[AddressCountOffset]; i++)
        {
            var addressLength = payload[position++];
            var address = InviteAddress.FromBytes(payload.Slice(position, addressLength));
            position += addressLength;
            if (address is null)
            {
                throw Malformed("an address is not valid UTF-8");
            }

            if (InviteAddress.FindProblem(address) is { } problem)
            {
                throw Malformed(problem);
            }

            addresses.Add(address);
        }

        return new InviteCode(
            payload.Slice(SpaceIdOffset, InviteCode.SpaceIdBytes),
            role,
            DeviceId.FromPublicKey(payload.Slice(InviterOffset, DeviceId.KeyLength)),
            addresses,
            (long)expiry,
            payload.Slice(SecretOffset, InviteCode.SecretBytes),
            payload[0]);
    }

    private static InviteCodeException Malformed(string reason) =>
        new(InviteCodeProblem.Malformed, $"This is not a valid invite code: {reason}. It was not made by p2psync; ask for a new invite.");

    private static void WriteUInt40(Span<byte> destination, ulong value)
    {
        Span<byte> full = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(full, value);
        full[(8 - ExpiryBytes)..].CopyTo(destination);
    }

    private static ulong ReadUInt40(ReadOnlySpan<byte> source)
    {
        Span<byte> full = stackalloc byte[8];
        source.CopyTo(full[(8 - ExpiryBytes)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(full);
    }
}
