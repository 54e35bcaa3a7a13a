using P2PSync.Protocol.Relay;

namespace P2PSync.Relay.Mailbox;

/// <summary>What a request produced: the reply frame, or the refusal to send as an Error.</summary>
internal sealed record MailboxReply(MailboxFrame? Frame, MailboxRefusal? Refusal)
{
    public static implicit operator MailboxReply(MailboxFrame frame) => new(frame, null);

    public static implicit operator MailboxReply(MailboxRefusal refusal) => new(null, refusal);
}
