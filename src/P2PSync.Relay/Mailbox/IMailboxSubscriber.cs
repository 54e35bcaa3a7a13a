using P2PSync.Protocol.Relay;

namespace P2PSync.Relay.Mailbox;

/// <summary>A live receiver of pushes. Deliver must not block: a subscriber that cannot keep up disconnects itself.</summary>
internal interface IMailboxSubscriber
{
    void Deliver(MailboxFrame push);
}
