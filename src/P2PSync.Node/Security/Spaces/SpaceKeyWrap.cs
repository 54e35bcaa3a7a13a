using System.Buffers.Binary;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// A space key sealed to one device (for SpaceState.keys and JoinResult):
/// <code>
///   crypto_box_seal(plain, X25519 key converted from the recipient's Ed25519 DeviceId)
///   plain = +---------------+-------------+
///           | epoch u64BE 8 | key 32      |
///           +---------------+-------------+
///   wrapped = ephemeral pk 32 || box (40 + 16) = 88 bytes
/// </code>
/// The epoch is inside the box so a wrapped key cannot be announced under another epoch: unwrap
/// checks it equals the epoch the wrapped key came with.
/// </summary>
internal static class SpaceKeyWrap
{
    public const int PlainLength = 8 + SpaceKey.Length;
    public const int WrappedLength = PlainLength + SealedBox.OverheadBytes;

    /// <summary><paramref name="key"/> sealed to <paramref name="recipient"/>; only that device can unwrap it.</summary>
    /// <exception cref="SpaceKeyException">The device id is not a valid Ed25519 point (<see cref="SpaceKeyProblem.InvalidRecipient"/>).</exception>
    public static byte[] Wrap(SpaceKey key, DeviceId recipient)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (recipient.IsEmpty)
        {
            throw new ArgumentException("A key is wrapped to a device.", nameof(recipient));
        }

        Span<byte> plain = stackalloc byte[PlainLength];
        try
        {
            BinaryPrimitives.WriteUInt64BigEndian(plain, key.Epoch);
            key.Bytes.CopyTo(plain[8..]);
            var wrapped = new byte[WrappedLength];
            SealedBox.SealToDevice(plain, recipient.PublicKey.Span, wrapped);
            return wrapped;
        }
        catch (InvalidPublicKeyException ex)
        {
            throw new SpaceKeyException(SpaceKeyProblem.InvalidRecipient, $"Cannot wrap a key to {recipient.ToShortString()}: {ex.Message}.");
        }
        finally
        {
            Sodium.MemZero(plain);
        }
    }

    /// <summary>Opens a key wrapped to <paramref name="self"/> that was announced as <paramref name="epoch"/>.</summary>
    /// <exception cref="SpaceKeyException">Wrong length, not for this device or altered, or another epoch inside.</exception>
    public static SpaceKey Unwrap(ReadOnlySpan<byte> wrapped, ulong epoch, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(self);
        if (wrapped.Length != WrappedLength)
        {
            throw new SpaceKeyException(SpaceKeyProblem.Malformed, $"A wrapped space key is {WrappedLength} bytes, not {wrapped.Length}.");
        }

        var secret = self.ToX25519SecretKey();
        Span<byte> publicKey = stackalloc byte[Sodium.X25519KeyBytes];
        Span<byte> plain = stackalloc byte[PlainLength];
        try
        {
            Sodium.X25519PublicKey(secret, publicKey);
            SealedBox.Open(wrapped, publicKey, secret, plain);
            var inside = BinaryPrimitives.ReadUInt64BigEndian(plain);
            if (inside != epoch)
            {
                throw new SpaceKeyException(SpaceKeyProblem.WrongEpoch, $"The wrapped key is for epoch {inside}, not the announced epoch {epoch}.");
            }

            return new SpaceKey(epoch, plain[8..]);
        }
        catch (DecryptionFailedException)
        {
            throw new SpaceKeyException(SpaceKeyProblem.NotForThisDevice, $"The wrapped key for epoch {epoch} was not sealed to this device, or was altered.");
        }
        finally
        {
            Sodium.MemZero(secret);
            Sodium.MemZero(plain);
        }
    }
}
