using System.Text;
using P2PSync.Relay.Signalling;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>A subscriber that keeps every frame delivered to it, as text (a fast reader).</summary>
internal sealed class RecordingSubscriber : ISignalSubscriber
{
    public List<string> Frames { get; } = [];

    public void Deliver(ReadOnlyMemory<byte> frame) => Frames.Add(Encoding.UTF8.GetString(frame.Span));
}
