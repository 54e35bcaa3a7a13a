namespace P2PSync.Relay.Mailbox;

internal enum MessageReadOutcome
{
    /// <summary>A whole binary message is in the pooled buffer.</summary>
    Message,

    /// <summary>The client sent its close frame.</summary>
    ClientClosed,

    /// <summary>The message grew past the frame cap; reading stopped there (memory stays bounded).</summary>
    TooLarge,

    /// <summary>A text message: the mailbox speaks binary protobuf only.</summary>
    Text,
}
