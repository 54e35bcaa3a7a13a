namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>A reassembled user message ready for (or waiting on) delivery.</summary>
internal sealed record ReceivedMessage(ushort StreamId, ushort Ssn, uint Ppid, bool Unordered, byte[] Payload);
