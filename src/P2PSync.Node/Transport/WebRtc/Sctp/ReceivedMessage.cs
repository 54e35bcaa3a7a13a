namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// A reassembled user message ready for (or waiting on) delivery. A <paramref name="Discarded"/>
/// one stands for a message we dropped (larger than our max-message-size): it is never delivered,
/// it only lets the stream's SSN move past it.
/// </summary>
internal sealed record ReceivedMessage(ushort StreamId, ushort Ssn, uint Ppid, bool Unordered, byte[] Payload, bool Discarded = false);
