namespace P2PSync.WebRtcBench;

/// <summary>What side A saw of one bulk transfer: bytes and messages received, time from its request to the last byte, order kept.</summary>
internal readonly record struct BulkResult(long Bytes, long Messages, double Milliseconds, bool InOrder);
