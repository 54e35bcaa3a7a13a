namespace P2PSync.Node.Hosting;

/// <summary>
/// The source of a change fetched from a relay's mailbox. The sync layer passes it on to every
/// directly connected peer, like a local change; the relay outbox does not post it again (its
/// author did).
/// </summary>
internal sealed record RelayOrigin : IUpdateSource
{
    public string OriginLabel => "relay";
}
