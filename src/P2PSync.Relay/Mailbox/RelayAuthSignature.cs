using System.Text;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// The device's proof of key possession: Ed25519 over "p2psync/relay-auth/v1\0" || nonce ||
/// UTF-8(relay_id). The domain prefix keeps the signature from meaning anything anywhere else;
/// the relay id keeps it from being replayed at another relay. BouncyCastle's Rfc8032 code is
/// used because the relay must not reference the node's libsodium binding.
/// </summary>
internal static class RelayAuthSignature
{
    public const int NonceLength = 32;
    public const int KeyLength = 32;
    public const int SignatureLength = 64;

    private static ReadOnlySpan<byte> Domain => "p2psync/relay-auth/v1\0"u8;

    public static byte[] Message(ReadOnlySpan<byte> nonce, string relayId)
    {
        var relay = Encoding.UTF8.GetBytes(relayId);
        var message = new byte[Domain.Length + nonce.Length + relay.Length];
        Domain.CopyTo(message);
        nonce.CopyTo(message.AsSpan(Domain.Length));
        relay.CopyTo(message.AsSpan(Domain.Length + nonce.Length));
        return message;
    }

    /// <summary>False for a wrong signature, a key or signature of the wrong length, or a key that is not a curve point.</summary>
    public static bool Verify(byte[] deviceKey, byte[] signature, ReadOnlySpan<byte> nonce, string relayId)
    {
        if (deviceKey.Length != KeyLength || signature.Length != SignatureLength) return false;
        var message = Message(nonce, relayId);
        try
        {
            return Ed25519.Verify(signature, 0, deviceKey, 0, message, 0, message.Length);
        }
        catch (ArgumentException)
        {
            // Malformed points can surface as argument errors in some BouncyCastle paths: a refusal, not a crash.
            return false;
        }
    }
}
