namespace P2PSync.Relay.Signalling;

/// <summary>A receiver of published signalling messages: one WebSocket connection to /signal.</summary>
internal interface ISignalSubscriber
{
    /// <summary>
    /// Queues one complete JSON text frame for sending. Never blocks: a subscriber whose queue is
    /// full drops the frame and closes itself as a slow consumer, so one slow reader cannot hold up
    /// the publisher or the other subscribers.
    /// </summary>
    void Deliver(ReadOnlyMemory<byte> frame);
}
