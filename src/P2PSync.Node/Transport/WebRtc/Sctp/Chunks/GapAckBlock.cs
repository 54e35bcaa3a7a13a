namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>A run of TSNs received above the cumulative ack, as offsets from it (both ≥ 1, start ≤ end).</summary>
internal readonly record struct GapAckBlock(ushort Start, ushort End);
