namespace P2PSync.Node.Hosting;

/// <summary>A handoff event subscriber did not keep up: its queue was full, so it was dropped rather than let the node buffer without bound.</summary>
internal sealed class HandoffFeedOverflowException : Exception
{
    public HandoffFeedOverflowException(int capacity)
        : base($"more than {capacity} handoff events were waiting for this subscriber; subscribe again after the last id seen")
    {
    }
}
