using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security;

/// <summary>
/// Noise_XX_25519_ChaChaPoly_BLAKE2b as a pure state machine: no I/O, no clock. The caller moves
/// the returned bytes across whatever transport it has.
/// </summary>
/// <remarks>
/// Pattern and message layout (DH = X25519, 32-byte keys; "enc(x)" adds a 16-byte tag once a key is mixed in):
/// <code>
///   XX:  -> e                   msg1 = e.pub(32) || payload
///        &lt;- e, ee, s, es       msg2 = e.pub(32) || enc(s.pub)(48) || enc(payload)
///        -> s, se               msg3 = enc(s.pub)(48) || enc(payload)
/// </code>
/// Checked against the cacophony and snow test vectors for this exact protocol name
/// (tests/P2PSync.Node.Tests/Security/Vectors).
/// </remarks>
internal sealed class NoiseXXHandshake : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_BLAKE2b";

    /// <summary>Noise's limit on any message, handshake or transport.</summary>
    public const int MaxMessageLength = 65535;

    private const int KeyLength = Sodium.X25519KeyBytes;
    private const int MessageCount = 3;

    private readonly bool _initiator;
    private readonly NoiseSymmetricState _state;
    private readonly byte[] _staticSecret;
    private readonly byte[] _staticPublic = new byte[KeyLength];
    private readonly byte[] _ephemeralSecret;
    private readonly byte[] _ephemeralPublic = new byte[KeyLength];
    private byte[]? _remoteEphemeral;
    private byte[]? _remoteStatic;
    private int _messageIndex;
    private bool _failed;

    /// <summary>Starts a handshake with a fresh ephemeral key.</summary>
    /// <param name="initiator">True for the side that sends the first message.</param>
    /// <param name="prologue">Data both sides must agree on (protocol and version); mixed into the transcript.</param>
    /// <param name="staticSecretKey">This side's 32-byte X25519 static secret.</param>
    public NoiseXXHandshake(bool initiator, ReadOnlySpan<byte> prologue, ReadOnlySpan<byte> staticSecretKey)
        : this(initiator, prologue, staticSecretKey, ReadOnlySpan<byte>.Empty)
    {
    }

    /// <summary>
    /// Starts a handshake with a given ephemeral secret: only for the published test vectors, which
    /// fix the ephemeral keys. Production code must use the other constructor.
    /// </summary>
    internal NoiseXXHandshake(bool initiator, ReadOnlySpan<byte> prologue, ReadOnlySpan<byte> staticSecretKey, ReadOnlySpan<byte> fixedEphemeralSecretKey)
    {
        if (staticSecretKey.Length != KeyLength)
        {
            throw new ArgumentException($"An X25519 secret key is {KeyLength} bytes, not {staticSecretKey.Length}.", nameof(staticSecretKey));
        }

        _initiator = initiator;
        _staticSecret = staticSecretKey.ToArray();
        Sodium.X25519PublicKey(_staticSecret, _staticPublic);
        _ephemeralSecret = new byte[KeyLength];
        if (fixedEphemeralSecretKey.IsEmpty)
        {
            Sodium.RandomBytes(_ephemeralSecret);
        }
        else if (fixedEphemeralSecretKey.Length == KeyLength)
        {
            fixedEphemeralSecretKey.CopyTo(_ephemeralSecret);
        }
        else
        {
            throw new ArgumentException($"An X25519 secret key is {KeyLength} bytes.", nameof(fixedEphemeralSecretKey));
        }

        Sodium.X25519PublicKey(_ephemeralSecret, _ephemeralPublic);
        _state = new NoiseSymmetricState(ProtocolName);
        _state.MixHash(prologue);
    }

    public bool IsInitiator => _initiator;

    /// <summary>True once all three messages have been written or read; then call <see cref="Split"/>.</summary>
    public bool IsComplete => _messageIndex == MessageCount;

    /// <summary>True when it is this side's turn to call <see cref="WriteMessage"/>.</summary>
    public bool IsMyTurn => !IsComplete && (_messageIndex % 2 == 0) == _initiator;

    /// <summary>This side's static X25519 public key.</summary>
    public ReadOnlySpan<byte> LocalStaticKey => _staticPublic;

    /// <summary>The peer's static X25519 public key, once its encrypted <c>s</c> has been read (null before).</summary>
    public byte[]? RemoteStaticKey => _remoteStatic?.ToArray();

    /// <summary>The transcript hash <c>h</c>; identical on both sides after the handshake.</summary>
    public byte[] HandshakeHash => _state.HandshakeHash.ToArray();

    /// <summary>Produces the next handshake message, carrying <paramref name="payload"/> (encrypted from message 2 on).</summary>
    /// <exception cref="InvalidOperationException">It is not this side's turn, or the handshake is over or failed.</exception>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        EnsureUsable();
        if (!IsMyTurn)
        {
            throw new InvalidOperationException("It is the other side's turn to send a handshake message.");
        }

        var length = _messageIndex switch
        {
            0 => KeyLength + payload.Length,
            1 => KeyLength + (KeyLength + CipherState.TagLength) + payload.Length + CipherState.TagLength,
            _ => (KeyLength + CipherState.TagLength) + payload.Length + CipherState.TagLength,
        };
        if (length > MaxMessageLength)
        {
            throw new ArgumentException($"A handshake message is at most {MaxMessageLength} bytes; this payload makes it {length}.", nameof(payload));
        }

        var message = new byte[length];
        var span = message.AsSpan();
        switch (_messageIndex)
        {
            case 0: // -> e
                WriteEphemeral(ref span);
                break;
            case 1: // <- e, ee, s, es
                WriteEphemeral(ref span);
                MixDh(_ephemeralSecret, _remoteEphemeral!);
                WriteStatic(ref span);
                MixDh(_staticSecret, _remoteEphemeral!);
                break;
            default: // -> s, se
                WriteStatic(ref span);
                MixDh(_staticSecret, _remoteEphemeral!);
                break;
        }

        _state.EncryptAndHash(payload, span);
        _messageIndex++;
        return message;
    }

    /// <summary>Consumes the peer's next handshake message and returns its payload.</summary>
    /// <exception cref="ProtocolViolationException">The message is malformed or fails to authenticate; the handshake is then dead.</exception>
    /// <exception cref="InvalidOperationException">It is this side's turn to write, or the handshake is over or failed.</exception>
    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        EnsureUsable();
        if (IsComplete || IsMyTurn)
        {
            throw new InvalidOperationException("No handshake message is expected from the other side now.");
        }

        try
        {
            if (message.Length > MaxMessageLength)
            {
                throw new ProtocolViolationException($"A handshake message is at most {MaxMessageLength} bytes; got {message.Length}.");
            }

            switch (_messageIndex)
            {
                case 0: // -> e
                    ReadEphemeral(ref message);
                    break;
                case 1: // <- e, ee, s, es
                    ReadEphemeral(ref message);
                    MixDh(_ephemeralSecret, _remoteEphemeral!);
                    ReadStatic(ref message);
                    MixDh(_ephemeralSecret, _remoteStatic!);
                    break;
                default: // -> s, se
                    ReadStatic(ref message);
                    MixDh(_ephemeralSecret, _remoteStatic!);
                    break;
            }

            var payloadLength = message.Length - (_state.HasKey ? CipherState.TagLength : 0);
            if (payloadLength < 0)
            {
                throw new ProtocolViolationException($"Handshake message {_messageIndex + 1} is too short to hold its payload.");
            }

            var payload = new byte[payloadLength];
            _state.DecryptAndHash(message, payload);
            _messageIndex++;
            return payload;
        }
        catch (ProtocolViolationException)
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>The transport ciphers: (send, receive) from this side's point of view.</summary>
    public (CipherState Send, CipherState Receive) Split()
    {
        if (!IsComplete || _failed)
        {
            throw new InvalidOperationException("The handshake is not complete.");
        }

        var (first, second) = _state.Split();
        return _initiator ? (first, second) : (second, first);
    }

    public void Dispose()
    {
        Sodium.MemZero(_staticSecret);
        Sodium.MemZero(_ephemeralSecret);
        _state.Dispose();
    }

    private void EnsureUsable()
    {
        if (_failed)
        {
            throw new InvalidOperationException("The handshake failed; start a new one.");
        }
    }

    private void WriteEphemeral(ref Span<byte> output)
    {
        _ephemeralPublic.CopyTo(output);
        _state.MixHash(_ephemeralPublic);
        output = output[KeyLength..];
    }

    private void WriteStatic(ref Span<byte> output)
    {
        var length = _state.CiphertextLength(KeyLength);
        _state.EncryptAndHash(_staticPublic, output[..length]);
        output = output[length..];
    }

    private void ReadEphemeral(ref ReadOnlySpan<byte> input)
    {
        if (input.Length < KeyLength)
        {
            throw new ProtocolViolationException($"Handshake message {_messageIndex + 1} is too short to hold an ephemeral key.");
        }

        _remoteEphemeral = input[..KeyLength].ToArray();
        _state.MixHash(_remoteEphemeral);
        input = input[KeyLength..];
    }

    private void ReadStatic(ref ReadOnlySpan<byte> input)
    {
        var length = _state.CiphertextLength(KeyLength);
        if (input.Length < length)
        {
            throw new ProtocolViolationException($"Handshake message {_messageIndex + 1} is too short to hold a static key.");
        }

        var remoteStatic = new byte[KeyLength];
        _state.DecryptAndHash(input[..length], remoteStatic);
        _remoteStatic = remoteStatic;
        input = input[length..];
    }

    private void MixDh(byte[] secret, byte[] remotePublic)
    {
        Span<byte> shared = stackalloc byte[KeyLength];
        if (!Sodium.X25519(secret, remotePublic, shared))
        {
            _failed = true;
            throw new ProtocolViolationException("The peer sent a low-order public key (Diffie-Hellman result is zero).");
        }

        _state.MixKey(shared);
        shared.Clear();
    }
}
