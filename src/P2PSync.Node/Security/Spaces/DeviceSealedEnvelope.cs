using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// A sealed envelope of kind 3, "sealed to device": readable by one device only, whatever space
/// keys anyone holds (docs/protocol/sealed-envelope.md). Membership updates posted to the relay
/// for one member travel this way, so a member removed earlier - who still holds the old space
/// keys - cannot read the updates posted for the others.
/// <code>
///  0     1      2             18
///  +-----+------+-------------+--------------------------------------------------------------+
///  | ver | kind | space id 16 | crypto_box_seal(X25519 of the recipient's Ed25519 DeviceId,  |
///  | =1  | =3   |             |                 space id 16 || plaintext)                    |
///  +-----+------+-------------+--------------------------------------------------------------+
///  sealed box = ephemeral X25519 pk 32 || XSalsa20-Poly1305(space id || plaintext) + tag 16
/// </code>
/// crypto_box_seal has no associated data, so the space id is sealed inside as well: a header
/// relabelled to another space no longer matches the copy inside. The header names no recipient
/// (the relay must not learn who a message is for); each member tries the envelopes of the topic
/// and skips those that are not for it.
/// </summary>
internal static class DeviceSealedEnvelope
{
    public const byte Version = 1;

    /// <summary>The kind byte; kinds 1, 2 and 4 are <see cref="SealedEnvelopeKind"/>s sealed under a symmetric key.</summary>
    public const byte Kind = 3;

    public const int HeaderLength = 2 + SpaceId.Length;

    public const int MinLength = HeaderLength + SealedBox.OverheadBytes + SpaceId.Length;

    public const int MaxLength = MinLength + SealedEnvelope.MaxPlaintextBytes;

    /// <summary>Whether the bytes claim to be of this kind (version 1, kind 3); only <see cref="Open"/> checks the rest.</summary>
    public static bool IsDeviceSealed(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == Version && bytes[1] == Kind;

    /// <summary>Seals <paramref name="plaintext"/> of <paramref name="space"/> so only <paramref name="recipient"/> can open it.</summary>
    /// <exception cref="SpaceKeyException"><see cref="SpaceKeyProblem.InvalidRecipient"/>: the device id is not a usable Ed25519 key.</exception>
    public static byte[] Seal(SpaceId space, DeviceId recipient, ReadOnlySpan<byte> plaintext)
    {
        if (space.IsEmpty || recipient.IsEmpty)
        {
            throw new ArgumentException("An envelope is sealed to a device, for a space.");
        }

        if (plaintext.Length > SealedEnvelope.MaxPlaintextBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintext), $"At most {SealedEnvelope.MaxPlaintextBytes} bytes are sealed in one envelope.");
        }

        var inner = new byte[SpaceId.Length + plaintext.Length];
        space.Bytes.CopyTo(inner);
        plaintext.CopyTo(inner.AsSpan(SpaceId.Length));
        var envelope = new byte[HeaderLength + SealedBox.SealedLength(inner.Length)];
        envelope[0] = Version;
        envelope[1] = Kind;
        space.Bytes.CopyTo(envelope.AsSpan(2));
        try
        {
            SealedBox.SealToDevice(inner, recipient.PublicKey.Span, envelope.AsSpan(HeaderLength));
            return envelope;
        }
        catch (InvalidPublicKeyException ex)
        {
            throw new SpaceKeyException(SpaceKeyProblem.InvalidRecipient, $"Cannot seal to {recipient.ToShortString()}: {ex.Message}.");
        }
        finally
        {
            Sodium.MemZero(inner);
        }
    }

    /// <summary>Opens an envelope of <paramref name="expected"/> sealed to <paramref name="self"/>; returns the plaintext.</summary>
    /// <exception cref="SealedEnvelopeException">
    /// <see cref="SealedEnvelopeProblem.Malformed"/> (length, version, kind), <see cref="SealedEnvelopeProblem.WrongSpace"/>
    /// (the header or the sealed copy names another space), <see cref="SealedEnvelopeProblem.NotForThisDevice"/>
    /// (sealed to another device, or altered).
    /// </exception>
    public static byte[] Open(ReadOnlySpan<byte> bytes, SpaceId expected, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(self);
        if (bytes.Length < MinLength || bytes.Length > MaxLength)
        {
            throw new SealedEnvelopeException(SealedEnvelopeProblem.Malformed, $"An envelope sealed to a device is {MinLength} to {MaxLength} bytes; this one has {bytes.Length}.");
        }

        if (!IsDeviceSealed(bytes))
        {
            throw new SealedEnvelopeException(SealedEnvelopeProblem.Malformed, $"Version {bytes[0]}, kind {bytes[1]} is not an envelope sealed to a device (version {Version}, kind {Kind}).");
        }

        if (!bytes.Slice(2, SpaceId.Length).SequenceEqual(expected.Bytes))
        {
            throw new SealedEnvelopeException(SealedEnvelopeProblem.WrongSpace, $"The envelope is for space {SpaceId.FromBytes(bytes.Slice(2, SpaceId.Length))}, not {expected}.");
        }

        var secret = self.ToX25519SecretKey();
        Span<byte> publicKey = stackalloc byte[Sodium.X25519KeyBytes];
        var inner = new byte[bytes.Length - HeaderLength - SealedBox.OverheadBytes];
        try
        {
            Sodium.X25519PublicKey(secret, publicKey);
            SealedBox.Open(bytes[HeaderLength..], publicKey, secret, inner);
            if (!inner.AsSpan(0, SpaceId.Length).SequenceEqual(expected.Bytes))
            {
                // Only a sender that sealed one space's message and relabelled the header gets here.
                throw new SealedEnvelopeException(SealedEnvelopeProblem.WrongSpace, $"The envelope's header names space {expected}, but it was sealed for another space.");
            }

            return inner[SpaceId.Length..];
        }
        catch (DecryptionFailedException)
        {
            throw new SealedEnvelopeException(SealedEnvelopeProblem.NotForThisDevice, "The envelope was not sealed to this device, or was altered.");
        }
        finally
        {
            Sodium.MemZero(secret);
            Sodium.MemZero(inner);
        }
    }
}
