using P2PSync.Protocol.Relay;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Delivers a stored envelope to the live subscribers of its topic. Behind an interface so a
/// later issue can fan out across relay instances (Redis pub/sub) without touching connections.
/// </summary>
internal interface IMailboxFanout
{
    /// <summary>Starts delivering pushes for <paramref name="topic"/>; dispose the result to stop.</summary>
    IDisposable Subscribe(byte[] topic, IMailboxSubscriber subscriber);

    /// <summary>Delivers <paramref name="push"/> to every subscriber of the topic except <paramref name="sender"/>.</summary>
    void Publish(byte[] topic, MailboxFrame push, IMailboxSubscriber? sender);
}
