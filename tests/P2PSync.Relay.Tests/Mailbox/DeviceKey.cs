using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;
using P2PSync.Relay.Mailbox;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>An Ed25519 device key for tests, signing relay challenges the way a node will.</summary>
internal sealed class DeviceKey
{
    private readonly byte[] _secret;

    private DeviceKey(byte[] secret)
    {
        _secret = secret;
        PublicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(_secret, 0, PublicKey, 0);
    }

    public byte[] PublicKey { get; }

    public static DeviceKey Create() => new(RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize));

    public byte[] SignChallenge(ReadOnlySpan<byte> nonce, string relayId)
    {
        var message = RelayAuthSignature.Message(nonce, relayId);
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_secret, 0, message, 0, message.Length, signature, 0);
        return signature;
    }
}
