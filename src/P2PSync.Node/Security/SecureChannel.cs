using System.Buffers;
using System.Buffers.Binary;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security;

/// <summary>
/// An authenticated, encrypted message channel over any byte <see cref="Stream"/> (TCP, pipes):
/// a Noise XX handshake with the device keys, then whole messages in encrypted frames.
/// </summary>
/// <remarks>
/// Every frame, handshake or transport (docs/protocol/noise-channel.md):
/// <code>
///   +----------------+----------------------------------------+
///   | length u16 BE  | noise message (length bytes, <= 65535)  |
///   +----------------+----------------------------------------+
/// transport noise message = ChaChaPoly(k, n++, ad = empty, flag(1) || chunk) || tag(16)
///   flag 1 = more chunks of this message follow, 0 = last chunk
/// </code>
/// After a <see cref="ProtocolViolationException"/> or an I/O error the channel is dead: every
/// later call throws, and the owner should dispose it and close the connection. I/O errors
/// (a reset socket) surface as themselves, so callers catch both kinds and drop that connection.
/// Sends may come from several tasks (they are serialised); receives from one task at a time.
/// </remarks>
internal sealed class SecureChannel : IAsyncDisposable
{
    /// <summary>Most bytes of a message one frame can carry: Noise's limit minus the tag and the flag byte.</summary>
    public const int MaxChunkBytes = NoiseXXHandshake.MaxMessageLength - CipherState.TagLength - 1;

    private const int HeaderLength = 2;
    private const byte LastChunk = 0;
    private const byte MoreChunks = 1;
    private const int ReadBufferBytes = 64 * 1024;

    /// <summary>Mixed into the handshake transcript: a peer speaking another protocol or version fails the handshake.</summary>
    private static ReadOnlySpan<byte> Prologue => "p2psync/1 noise-channel"u8;

    private readonly Stream _stream;
    private readonly SecureChannelOptions _options;
    private readonly CipherState _send;
    private readonly CipherState _receive;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _receiveLock = new(1, 1);
    private readonly byte[] _header = new byte[HeaderLength];

    // Frames are read through this buffer: without it every frame costs two reads (header, body),
    // which on a socket means two system calls per small message. It holds more than one frame.
    private readonly byte[] _readBuffer = new byte[ReadBufferBytes];
    private int _readStart;
    private int _readEnd;
    private string? _deadReason;
    private bool _disposed;

    private SecureChannel(Stream stream, SecureChannelOptions options, CipherState send, CipherState receive, DeviceId remote, byte[] handshakeHash)
    {
        _stream = stream;
        _options = options;
        _send = send;
        _receive = receive;
        RemoteDeviceId = remote;
        HandshakeHash = handshakeHash;
    }

    /// <summary>The device at the other end, proven by the handshake.</summary>
    public DeviceId RemoteDeviceId { get; }

    /// <summary>The Noise handshake hash: equal on both ends, unique to this session.</summary>
    public byte[] HandshakeHash { get; }

    public int MaxMessageBytes => _options.MaxMessageBytes;

    /// <summary>Runs the handshake as the side that connected.</summary>
    /// <exception cref="ProtocolViolationException">The peer failed the handshake or was refused by <see cref="SecureChannelOptions.AcceptRemote"/>.</exception>
    public static Task<SecureChannel> InitiateAsync(Stream stream, DeviceKey localKey, SecureChannelOptions? options = null, CancellationToken cancellationToken = default) =>
        HandshakeAsync(stream, localKey, initiator: true, options ?? SecureChannelOptions.Default, cancellationToken);

    /// <summary>Runs the handshake as the side that accepted the connection.</summary>
    /// <exception cref="ProtocolViolationException">The peer failed the handshake or was refused by <see cref="SecureChannelOptions.AcceptRemote"/>.</exception>
    public static Task<SecureChannel> RespondAsync(Stream stream, DeviceKey localKey, SecureChannelOptions? options = null, CancellationToken cancellationToken = default) =>
        HandshakeAsync(stream, localKey, initiator: false, options ?? SecureChannelOptions.Default, cancellationToken);

    /// <summary>Sends one whole message, chunked into as many frames as it needs.</summary>
    /// <exception cref="ProtocolViolationException">The message is larger than <see cref="MaxMessageBytes"/> (nothing is sent), or the channel is dead.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (message.Length > _options.MaxMessageBytes)
        {
            throw new ProtocolViolationException($"A message of {message.Length} bytes is larger than the channel limit of {_options.MaxMessageBytes}.");
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfUnusable();
            var offset = 0;
            do
            {
                var chunkLength = Math.Min(MaxChunkBytes, message.Length - offset);
                var more = offset + chunkLength < message.Length;
                var frame = EncryptFrame(message.Span.Slice(offset, chunkLength), more);
                offset += chunkLength;
                await WriteOrDieAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            while (offset < message.Length);

            await FlushOrDieAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next whole message, or null when the peer closed the connection cleanly between messages.</summary>
    /// <exception cref="ProtocolViolationException">A frame failed to authenticate, was malformed, the message grew past the limit, or the stream ended mid-message.</exception>
    public async ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        await _receiveLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfUnusable();
            ArrayBufferWriter<byte>? assembled = null;
            for (var frames = 0; ; frames++)
            {
                var frame = await ReadFrameOrDieAsync(atMessageStart: frames == 0, cancellationToken).ConfigureAwait(false);
                if (frame is null)
                {
                    return null;
                }

                var (plaintext, more) = DecryptFrame(frame, assembledSoFar: assembled?.WrittenCount ?? 0);
                if (frames == 0 && !more)
                {
                    // The common case, one frame per message: no reassembly buffer.
                    return plaintext.AsSpan(1).ToArray();
                }

                assembled ??= new ArrayBufferWriter<byte>();
                assembled.Write(plaintext.AsSpan(1));
                if (!more)
                {
                    return assembled.WrittenSpan.ToArray();
                }
            }
        }
        finally
        {
            _receiveLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _send.Dispose();
        _receive.Dispose();
        if (!_options.LeaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<SecureChannel> HandshakeAsync(Stream stream, DeviceKey localKey, bool initiator, SecureChannelOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(localKey);

        // A peer that connects and then says nothing must not hold a connection slot forever.
        using var timeout = new CancellationTokenSource(options.HandshakeTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await RunHandshakeAsync(stream, localKey, initiator, options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolViolationException($"The peer did not complete the handshake within {options.HandshakeTimeout.TotalSeconds:0.###} s.", ex);
        }
    }

    private static async Task<SecureChannel> RunHandshakeAsync(Stream stream, DeviceKey localKey, bool initiator, SecureChannelOptions options, CancellationToken cancellationToken)
    {
        var staticSecret = localKey.ToX25519SecretKey();
        using var handshake = new NoiseXXHandshake(initiator, Prologue, staticSecret);
        Array.Clear(staticSecret);
        var identity = HandshakeIdentity.Create(localKey, handshake.LocalStaticKey);
        var header = new byte[HeaderLength];
        DeviceId remote;

        if (initiator)
        {
            // -> e (no payload: nothing is encrypted yet, so nothing about us is revealed).
            await WriteHandshakeFrameAsync(stream, handshake.WriteMessage([]), cancellationToken).ConfigureAwait(false);
            // <- e, ee, s, es: the responder proves who it is before we say who we are.
            var payload = handshake.ReadMessage(await ReadHandshakeFrameAsync(stream, header, cancellationToken).ConfigureAwait(false));
            remote = Authenticate(handshake, payload, options);
            // -> s, se
            await WriteHandshakeFrameAsync(stream, handshake.WriteMessage(identity), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var first = handshake.ReadMessage(await ReadHandshakeFrameAsync(stream, header, cancellationToken).ConfigureAwait(false));
            if (first.Length != 0)
            {
                throw new ProtocolViolationException("The first handshake message must carry no payload.");
            }

            await WriteHandshakeFrameAsync(stream, handshake.WriteMessage(identity), cancellationToken).ConfigureAwait(false);
            var payload = handshake.ReadMessage(await ReadHandshakeFrameAsync(stream, header, cancellationToken).ConfigureAwait(false));
            remote = Authenticate(handshake, payload, options);
        }

        var (send, receive) = handshake.Split();
        return new SecureChannel(stream, options, send, receive, remote, handshake.HandshakeHash);
    }

    private static DeviceId Authenticate(NoiseXXHandshake handshake, byte[] payload, SecureChannelOptions options)
    {
        var remote = HandshakeIdentity.Verify(payload, handshake.RemoteStaticKey!);
        if (options.AcceptRemote is { } accept && !accept(remote))
        {
            throw new ProtocolViolationException($"Device {remote} is not trusted by this node and shares no space with it.");
        }

        return remote;
    }

    private static async Task WriteHandshakeFrameAsync(Stream stream, byte[] message, CancellationToken cancellationToken)
    {
        var frame = new byte[HeaderLength + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, checked((ushort)message.Length));
        message.CopyTo(frame, HeaderLength);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadHandshakeFrameAsync(Stream stream, byte[] header, CancellationToken cancellationToken)
    {
        if (await stream.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < HeaderLength)
        {
            throw new ProtocolViolationException("The connection closed during the handshake.");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header);
        var message = new byte[length];
        if (await stream.ReadAtLeastAsync(message, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < length)
        {
            throw new ProtocolViolationException("The connection closed in the middle of a handshake message.");
        }

        return message;
    }

    private byte[] EncryptFrame(ReadOnlySpan<byte> chunk, bool more)
    {
        var plaintext = ArrayPool<byte>.Shared.Rent(chunk.Length + 1);
        try
        {
            plaintext[0] = more ? MoreChunks : LastChunk;
            chunk.CopyTo(plaintext.AsSpan(1));
            var ciphertextLength = _send.CiphertextLength(chunk.Length + 1);
            var frame = new byte[HeaderLength + ciphertextLength];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)ciphertextLength);
            _send.EncryptWithAd([], plaintext.AsSpan(0, chunk.Length + 1), frame.AsSpan(HeaderLength));
            return frame;
        }
        catch (ProtocolViolationException ex)
        {
            _deadReason = ex.Message;
            throw;
        }
        finally
        {
            plaintext.AsSpan(0, chunk.Length + 1).Clear();
            ArrayPool<byte>.Shared.Return(plaintext);
        }
    }

    // Decrypts and checks one frame; returns its plaintext (flag byte first) and whether more chunks follow.
    private (byte[] Plaintext, bool More) DecryptFrame(byte[] frame, int assembledSoFar)
    {
        try
        {
            if (frame.Length < CipherState.TagLength + 1)
            {
                throw new ProtocolViolationException($"A frame of {frame.Length} bytes is too short to be an encrypted chunk.");
            }

            var plaintext = new byte[frame.Length - CipherState.TagLength];
            _receive.DecryptWithAd([], frame, plaintext);
            var flag = plaintext[0];
            if (flag is not (LastChunk or MoreChunks))
            {
                throw new ProtocolViolationException($"Unknown chunk flag {flag}.");
            }

            if ((long)assembledSoFar + plaintext.Length - 1 > _options.MaxMessageBytes)
            {
                throw new ProtocolViolationException($"The peer's message is larger than the channel limit of {_options.MaxMessageBytes} bytes.");
            }

            return (plaintext, flag == MoreChunks);
        }
        catch (ProtocolViolationException ex)
        {
            _deadReason = ex.Message;
            throw;
        }
    }

    private async ValueTask<byte[]?> ReadFrameOrDieAsync(bool atMessageStart, CancellationToken cancellationToken)
    {
        try
        {
            var read = await ReadBufferedAsync(_header, cancellationToken).ConfigureAwait(false);
            if (read == 0 && atMessageStart)
            {
                return null;
            }

            if (read < HeaderLength)
            {
                throw new ProtocolViolationException(read == 0
                    ? "The connection closed in the middle of a chunked message."
                    : "The connection closed in the middle of a frame header.");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(_header);
            var frame = new byte[length];
            if (await ReadBufferedAsync(frame, cancellationToken).ConfigureAwait(false) < length)
            {
                throw new ProtocolViolationException("The connection closed in the middle of a frame.");
            }

            return frame;
        }
        catch (ProtocolViolationException ex)
        {
            _deadReason = ex.Message;
            throw;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping mid-frame leaves the stream at an unknown offset: nothing after it can be read.
            _deadReason = "the connection failed: " + ex.Message;
            throw;
        }
    }

    // Fills destination from the read buffer and the stream; returns fewer bytes only at end of stream.
    private async ValueTask<int> ReadBufferedAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            if (_readStart == _readEnd)
            {
                _readStart = 0;
                _readEnd = await _stream.ReadAsync(_readBuffer, cancellationToken).ConfigureAwait(false);
                if (_readEnd == 0)
                {
                    return filled;
                }
            }

            var take = Math.Min(_readEnd - _readStart, destination.Length - filled);
            _readBuffer.AsSpan(_readStart, take).CopyTo(destination.Span[filled..]);
            _readStart += take;
            filled += take;
        }

        return filled;
    }

    private async ValueTask WriteOrDieAsync(byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A partly written message cannot be resumed: the receiver would see a broken chunk sequence.
            _deadReason = "a send failed: " + ex.Message;
            throw;
        }
    }

    private async ValueTask FlushOrDieAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _deadReason = "a send failed: " + ex.Message;
            throw;
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_deadReason is { } reason)
        {
            throw new ProtocolViolationException($"The channel is closed: {reason}");
        }
    }
}
