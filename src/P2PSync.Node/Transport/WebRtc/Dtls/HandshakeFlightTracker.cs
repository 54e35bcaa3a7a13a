namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// Remembers which plaintext (epoch 0) handshake messages of the peer have fully arrived, so the
/// pre-check can tell whether BouncyCastle already has everything that comes before the peer's
/// Finished. Handshake fragment header (RFC 6347 §4.2.2), 12 bytes, several may share a record:
/// <code>
///  0      1             4             6              9              12
///  +------+-------------+-------------+--------------+--------------+----------------+
///  | type | length (24) | message_seq | frag_off (24)| frag_len (24)| body fragment  |
///  +------+-------------+-------------+--------------+--------------+----------------+
/// </code>
/// </summary>
internal sealed class HandshakeFlightTracker
{
    public const int HeaderLength = 12;

    // A DTLS 1.2 handshake uses message_seq 0..5 per side; the caps only bound what a hostile peer can make us store.
    private const int MaxMessageSeq = 32;
    private const int MaxFragmentsPerMessage = 64;

    private readonly Dictionary<int, Message> _messages = new();

    /// <summary>Notes the fragments in the body of one epoch-0 handshake record; malformed tails are ignored.</summary>
    public void Observe(ReadOnlySpan<byte> recordBody)
    {
        var offset = 0;
        while (recordBody.Length - offset >= HeaderLength)
        {
            var header = recordBody[offset..];
            var length = ReadUInt24(header[1..]);
            var messageSeq = (header[4] << 8) | header[5];
            var fragmentOffset = ReadUInt24(header[6..]);
            var fragmentLength = ReadUInt24(header[9..]);
            if (HeaderLength + fragmentLength > recordBody.Length - offset)
            {
                return;
            }

            offset += HeaderLength + fragmentLength;
            if (messageSeq >= MaxMessageSeq || fragmentOffset + fragmentLength > length)
            {
                continue;
            }

            if (!_messages.TryGetValue(messageSeq, out var message))
            {
                message = new Message(length);
                _messages[messageSeq] = message;
            }

            if (message.Length == length && message.Pieces.Count < MaxFragmentsPerMessage)
            {
                message.Pieces.Add((fragmentOffset, fragmentLength));
            }
        }
    }

    /// <summary>True when every message with a sequence number below <paramref name="messageSeq"/> has arrived whole.</summary>
    public bool HasCompleteMessagesBefore(int messageSeq)
    {
        if (messageSeq > MaxMessageSeq)
        {
            return false;
        }

        for (var seq = 0; seq < messageSeq; seq++)
        {
            if (!_messages.TryGetValue(seq, out var message) || !message.IsComplete())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads message_seq from a decrypted handshake record (our peer's Finished).</summary>
    public static bool TryReadMessageSeq(ReadOnlySpan<byte> handshakePlaintext, out int messageSeq)
    {
        messageSeq = 0;
        if (handshakePlaintext.Length < HeaderLength)
        {
            return false;
        }

        messageSeq = (handshakePlaintext[4] << 8) | handshakePlaintext[5];
        return true;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> bytes) => (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];

    private sealed class Message(int length)
    {
        public int Length { get; } = length;

        public List<(int Offset, int Length)> Pieces { get; } = new();

        // Zero-length messages (ServerHelloDone) are complete once any fragment has come.
        public bool IsComplete()
        {
            if (Pieces.Count == 0)
            {
                return false;
            }

            var covered = 0;
            foreach (var (offset, length) in Pieces.OrderBy(p => p.Offset))
            {
                if (offset > covered)
                {
                    return false;
                }

                covered = Math.Max(covered, offset + length);
            }

            return covered >= Length;
        }
    }
}
