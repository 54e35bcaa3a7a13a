using System.Buffers.Binary;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Security;

namespace P2PSync.Node.Tests.Security;

/// <summary>
/// Plays the initiator by hand against a real <see cref="SecureChannel"/> responder, so tests can
/// send what an honest channel never would: a forged identity, or well-encrypted but malformed frames.
/// </summary>
internal sealed class ManualInitiator : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly NoiseXXHandshake _handshake;
    private CipherState? _send;

    private ManualInitiator(ChannelStream stream, Task<SecureChannel> responder, DeviceKey key)
    {
        Stream = stream;
        Responder = responder;
        Key = key;
        _handshake = new NoiseXXHandshake(initiator: true, "p2psync/1 noise-channel"u8, key.ToX25519SecretKey());
    }

    public ChannelStream Stream { get; }

    public Task<SecureChannel> Responder { get; }

    public DeviceKey Key { get; }

    /// <summary>The X25519 static key this initiator really uses.</summary>
    public byte[] StaticKey => _handshake.LocalStaticKey.ToArray();

    public static ManualInitiator Start(DeviceKey initiatorKey, DeviceKey responderKey, SecureChannelOptions? responderOptions = null)
    {
        var (left, right) = ChannelStream.CreatePair();
        return new ManualInitiator(left, SecureChannel.RespondAsync(right, responderKey, responderOptions), initiatorKey);
    }

    /// <summary>Runs messages 1 to 3, sending <paramref name="identityPayload"/> in message 3.</summary>
    public async Task HandshakeAsync(byte[] identityPayload)
    {
        await WriteFrameAsync(_handshake.WriteMessage([]));
        _handshake.ReadMessage(await ReadFrameAsync());
        await WriteFrameAsync(_handshake.WriteMessage(identityPayload));
        (_send, _) = _handshake.Split();
    }

    /// <summary>Runs the handshake honestly.</summary>
    public Task HandshakeAsync() => HandshakeAsync(HandshakeIdentity.Create(Key, StaticKey));

    /// <summary>Sends one correctly encrypted transport frame with any plaintext (flag byte included).</summary>
    public Task SendFrameAsync(byte[] plaintext)
    {
        var ciphertext = new byte[_send!.CiphertextLength(plaintext.Length)];
        _send.EncryptWithAd([], plaintext, ciphertext);
        return WriteFrameAsync(ciphertext);
    }

    public void Dispose() => _handshake.Dispose();

    private async Task WriteFrameAsync(byte[] message)
    {
        var header = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)message.Length);
        await Stream.WriteAsync(header);
        await Stream.WriteAsync(message);
    }

    private async Task<byte[]> ReadFrameAsync()
    {
        var header = new byte[2];
        await Stream.ReadExactlyAsync(header).AsTask().WaitAsync(Timeout);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await Stream.ReadExactlyAsync(message).AsTask().WaitAsync(Timeout);
        return message;
    }

    /// <summary>The X25519 public key of a device key.</summary>
    public static byte[] StaticKeyOf(DeviceKey key)
    {
        var publicKey = new byte[32];
        Sodium.X25519PublicKey(key.ToX25519SecretKey(), publicKey);
        return publicKey;
    }
}
