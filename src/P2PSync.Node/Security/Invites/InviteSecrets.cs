using System.Security.Cryptography;
using P2PSync.Node.Crypto;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// What an invite's one-time secret is turned into on the wire (docs/protocol/join.md): an invite
/// id that lets the inviter find its pending invite without the secret ever being sent, and a
/// proof that the joiner holds the secret, bound to both devices, the space and the invite.
/// </summary>
/// <remarks>
/// <code>
///   invite id = BLAKE2b(out 16, key = secret, msg = "p2psync/invite-id/v1")
///   proof     = BLAKE2b(out 32, key = secret,
///                       msg = "p2psync/join-proof/v1\0" || invite id 16 || joiner pk 32
///                             || inviter pk 32 || space id 16)
/// </code>
/// Binding the joiner's key means a proof seen (or relayed) by a third device is useless to it:
/// the inviter checks the proof against the key of the device it is actually talking to.
/// </remarks>
internal static class InviteSecrets
{
    public const int SecretBytes = InviteCode.SecretBytes;
    public const int InviteIdBytes = 16;
    public const int ProofBytes = 32;

    private const int ProofMessageBytes = 22 + InviteIdBytes + DeviceId.KeyLength + DeviceId.KeyLength + SpaceId.Length;

    private static ReadOnlySpan<byte> InviteIdLabel => "p2psync/invite-id/v1"u8;

    private static ReadOnlySpan<byte> ProofLabel => "p2psync/join-proof/v1\0"u8;

    /// <summary>A fresh 32-byte secret from libsodium's random source.</summary>
    public static byte[] NewSecret()
    {
        var secret = new byte[SecretBytes];
        Sodium.RandomBytes(secret);
        return secret;
    }

    /// <summary>The 16-byte id under which the inviter files the invite made from <paramref name="secret"/>.</summary>
    public static byte[] InviteId(ReadOnlySpan<byte> secret)
    {
        RequireSecret(secret);
        var id = new byte[InviteIdBytes];
        Sodium.Blake2b(id, InviteIdLabel, secret);
        return id;
    }

    /// <summary>The proof a joining device sends for the invite made from <paramref name="secret"/>.</summary>
    public static byte[] Proof(ReadOnlySpan<byte> secret, DeviceId joiner, DeviceId inviter, SpaceId space)
    {
        RequireSecret(secret);
        RequireDevice(joiner, nameof(joiner));
        RequireDevice(inviter, nameof(inviter));
        if (space.IsEmpty)
        {
            throw new ArgumentException("A join proof names a space.", nameof(space));
        }

        Span<byte> message = stackalloc byte[ProofMessageBytes];
        var position = 0;
        Append(message, ref position, ProofLabel);
        Append(message, ref position, InviteId(secret));
        Append(message, ref position, joiner.PublicKey.Span);
        Append(message, ref position, inviter.PublicKey.Span);
        Append(message, ref position, space.Bytes);

        var proof = new byte[ProofBytes];
        Sodium.Blake2b(proof, message, secret);
        return proof;
    }

    /// <summary>
    /// True when <paramref name="proof"/> is the proof for this secret, these devices and this space.
    /// The comparison takes the same time wherever the first differing byte is, so a device guessing
    /// proofs learns nothing from how quickly it is turned away. A proof of the wrong length is false.
    /// </summary>
    public static bool IsValidProof(ReadOnlySpan<byte> proof, ReadOnlySpan<byte> secret, DeviceId joiner, DeviceId inviter, SpaceId space)
    {
        var expected = Proof(secret, joiner, inviter, space);
        return proof.Length == ProofBytes && CryptographicOperations.FixedTimeEquals(proof, expected);
    }

    private static void Append(Span<byte> destination, ref int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[position..]);
        position += bytes.Length;
    }

    private static void RequireSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretBytes)
        {
            throw new ArgumentException($"An invite secret is {SecretBytes} bytes, not {secret.Length}.", nameof(secret));
        }
    }

    private static void RequireDevice(DeviceId device, string name)
    {
        if (device.IsEmpty)
        {
            throw new ArgumentException("A join proof names both devices.", name);
        }
    }
}
