using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>A message received on a <see cref="DataChannel"/>: text (already checked to be UTF-8) or binary, possibly empty.</summary>
internal readonly record struct DataChannelMessage(bool IsText, ReadOnlyMemory<byte> Data)
{
    /// <summary>The text of a text message; the bytes read as UTF-8 for a binary one.</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);
}
