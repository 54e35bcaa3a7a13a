using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security;

/// <summary>
/// The payload each side puts in its encrypted Noise handshake message to say which device it is.
/// </summary>
/// <remarks>
/// The Noise static key is X25519, but devices are known by their Ed25519 key (the DeviceId).
/// The payload carries the Ed25519 key and a signature binding it to the X25519 static key the
/// peer actually used in the handshake:
/// <code>
///   0                 32                                 96
///   +-----------------+----------------------------------+
///   | Ed25519 pk (32) | sig(Context || X25519 static pk) |
///   +-----------------+----------------------------------+
/// </code>
/// A reader accepts it only when the signature verifies over the static key it saw in the
/// handshake and that static key is the X25519 form of the same Ed25519 key; so a device cannot
/// claim someone else's DeviceId, nor replay someone else's payload with its own static key.
/// </remarks>
internal static class HandshakeIdentity
{
    public const int Length = Sodium.Ed25519PublicKeyBytes + Sodium.Ed25519SignatureBytes;

    private static ReadOnlySpan<byte> Context => "p2psync noise static key v1"u8;

    /// <summary>The payload proving that <paramref name="key"/> owns <paramref name="x25519StaticKey"/>.</summary>
    public static byte[] Create(DeviceKey key, ReadOnlySpan<byte> x25519StaticKey)
    {
        var payload = new byte[Length];
        key.PublicKey.CopyTo(payload);
        key.Sign(Signed(x25519StaticKey)).CopyTo(payload, Sodium.Ed25519PublicKeyBytes);
        return payload;
    }

    /// <summary>The device that sent <paramref name="payload"/> with static key <paramref name="remoteStaticKey"/>.</summary>
    /// <exception cref="ProtocolViolationException">Wrong size, a key that does not match, or a bad signature.</exception>
    public static DeviceId Verify(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> remoteStaticKey)
    {
        if (payload.Length != Length)
        {
            throw new ProtocolViolationException($"The peer's identity payload is {payload.Length} bytes, not {Length}.");
        }

        var edPublicKey = payload[..Sodium.Ed25519PublicKeyBytes];
        var signature = payload[Sodium.Ed25519PublicKeyBytes..];
        Span<byte> converted = stackalloc byte[Sodium.X25519KeyBytes];
        if (!Sodium.Ed25519PublicKeyToX25519(edPublicKey, converted) || !converted.SequenceEqual(remoteStaticKey))
        {
            throw new ProtocolViolationException("The peer's handshake static key is not derived from the device key it claims.");
        }

        if (!Sodium.Ed25519Verify(signature, Signed(remoteStaticKey), edPublicKey))
        {
            throw new ProtocolViolationException("The peer's identity signature does not verify.");
        }

        return DeviceId.FromPublicKey(edPublicKey);
    }

    private static byte[] Signed(ReadOnlySpan<byte> x25519StaticKey)
    {
        var message = new byte[Context.Length + x25519StaticKey.Length];
        Context.CopyTo(message);
        x25519StaticKey.CopyTo(message.AsSpan(Context.Length));
        return message;
    }
}
