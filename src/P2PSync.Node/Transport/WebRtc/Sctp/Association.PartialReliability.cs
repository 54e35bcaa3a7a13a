using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Partial reliability on the send side (RFC 3758, notes §3.8): when a message has used up its
/// retransmissions or its lifetime it is abandoned whole, and FORWARD TSN tells the peer to stop
/// waiting for it. Only used when the peer's INIT offered Forward-TSN-Supported; otherwise every
/// message is reliable.
/// </summary>
internal sealed partial class Association
{
    private bool ShouldAbandon(OutstandingChunk chunk, long nowMs)
    {
        if (!_peerForwardTsn)
        {
            return false;
        }

        var reliability = chunk.Message.Reliability;
        return reliability.Kind switch
        {
            SctpReliabilityKind.MaxRetransmits => chunk.Transmissions > reliability.Value,
            SctpReliabilityKind.MaxLifetimeMs => chunk.Message.IsExpired(nowMs),
            _ => false,
        };
    }

    /// <summary>Gives up on a whole message, every fragment of it (RFC 3758 §3.5).</summary>
    private void Abandon(OutgoingMessage message)
    {
        if (message.Abandoned)
        {
            return;
        }

        message.Abandoned = true;
        foreach (var chunk in message.Chunks)
        {
            if (chunk.Acked || chunk.Abandoned)
            {
                continue;
            }

            chunk.Abandoned = true;
            if (chunk.InFlight)
            {
                chunk.InFlight = false;
                _flightBytes -= chunk.PayloadBytes;
            }

            if (chunk.NeedsRetransmit)
            {
                chunk.NeedsRetransmit = false;
                _retransmitPending--;
            }

            _bufferedBytes -= chunk.PayloadBytes;
        }

        // Fragments never cut from the message leave the buffer now; the queue skips the rest.
        _bufferedBytes -= message.Payload.Length - message.Offset;
        message.Offset = message.Payload.Length;
        _sendQueue.Remove(message);
    }

    /// <summary>Moves the advanced peer ack point over the abandoned chunks just above the cum ack and, if it moved, prepares a FORWARD TSN (RFC 3758 §3.5 C1-C3).</summary>
    private void UpdateForwardTsn()
    {
        if (!_peerForwardTsn)
        {
            return;
        }

        var point = _cumAck;
        var skipped = new Dictionary<ushort, ushort>();
        var anyAbandoned = false;
        foreach (var chunk in _outstanding.InOrder())
        {
            // Only abandoned chunks: skipping over a gap-acked fragment would make the receiver drop
            // the partial reassembly of a message we still owe it (found by a seeded sweep).
            if (chunk.Tsn != point + 1 || !chunk.Abandoned)
            {
                break;
            }

            point = chunk.Tsn;
            if (chunk.Abandoned)
            {
                anyAbandoned = true;
                if (chunk.Message.Ordered && (!skipped.TryGetValue(chunk.Message.StreamId, out var ssn) || SerialNumber.Lt(ssn, chunk.Message.Ssn)))
                {
                    skipped[chunk.Message.StreamId] = chunk.Message.Ssn;
                }
            }
        }

        if (anyAbandoned && SerialNumber.Gt(point, _cumAck))
        {
            _forwardTsn = new ForwardTsnChunk(point, skipped.Select(s => new ForwardTsnStream(s.Key, s.Value)).ToArray());
        }
    }
}
