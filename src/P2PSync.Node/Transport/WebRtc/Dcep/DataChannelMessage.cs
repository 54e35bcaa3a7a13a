namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>A user message on a data channel, as the application sees it: text or bytes, possibly empty.</summary>
/// <param name="IsText">True for a string message (PPID 51/56), false for binary (53/57).</param>
/// <param name="Data">The bytes: UTF-8 for text; empty for the empty kinds.</param>
internal readonly record struct DataChannelMessage(bool IsText, ReadOnlyMemory<byte> Data);
