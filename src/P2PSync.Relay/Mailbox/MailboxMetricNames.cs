namespace P2PSync.Relay.Mailbox;

/// <summary>Names and help texts of the mailbox's metrics, in one place so /metrics stays consistent.</summary>
internal static class MailboxMetricNames
{
    public const string Source = "mailbox";
    public const string Connections = "relay_mailbox_connections";
    public const string ConnectionsHelp = "Open /mailbox WebSocket connections.";
    public const string BytesIn = "relay_mailbox_bytes_in_total";
    public const string BytesInHelp = "Bytes of WebSocket messages received on /mailbox.";
    public const string BytesOut = "relay_mailbox_bytes_out_total";
    public const string BytesOutHelp = "Bytes of WebSocket messages sent on /mailbox.";
    public const string Posts = "relay_mailbox_posts_total";
    public const string PostsHelp = "Envelopes stored.";
    public const string Deleted = "relay_mailbox_envelopes_deleted_total";
    public const string DeletedHelp = "Envelopes deleted after every reader acknowledged them or their TTL passed.";
    public const string ReadersForgotten = "relay_mailbox_readers_forgotten_total";
    public const string ReadersForgottenHelp = "Readers that stopped counting after Mailbox:ReaderIdleDays without a fetch, subscribe or ack.";
    public const string Topics = "relay_mailbox_topics";
    public const string TopicsHelp = "Topics with at least one stored envelope.";
    public const string EnvelopesStored = "relay_mailbox_envelopes_stored";
    public const string EnvelopesStoredHelp = "Envelopes currently stored.";
}
