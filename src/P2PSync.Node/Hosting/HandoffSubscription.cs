using System.Threading.Channels;

namespace P2PSync.Node.Hosting;

/// <summary>
/// One subscriber of <see cref="HandoffEventFeed"/>: the remembered events after the point it asked
/// for, then live ones from <see cref="Live"/>. Live completes with
/// <see cref="HandoffFeedOverflowException"/> when the subscriber fell too far behind (it may
/// subscribe again after the last seq it saw), and normally when the node stops. Dispose to leave.
/// </summary>
internal sealed class HandoffSubscription : IDisposable
{
    private readonly Action<HandoffSubscription> _leave;

    public HandoffSubscription(IReadOnlyList<HandoffFeedItem> replay, Channel<HandoffFeedItem> channel, Action<HandoffSubscription> leave)
    {
        Replay = replay;
        Channel = channel;
        _leave = leave;
    }

    /// <summary>Remembered events after the requested seq, oldest first.</summary>
    public IReadOnlyList<HandoffFeedItem> Replay { get; }

    public ChannelReader<HandoffFeedItem> Live => Channel.Reader;

    internal Channel<HandoffFeedItem> Channel { get; }

    public void Dispose() => _leave(this);
}
