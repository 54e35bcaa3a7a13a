namespace P2PSync.Relay.Storage;

/// <summary>The cursor of a stored envelope, or (cursor 0) the quota that refused it.</summary>
internal sealed record AppendResult(ulong Cursor, QuotaRefusal Refusal)
{
    public bool Stored => Refusal == QuotaRefusal.None;

    public static AppendResult Refused(QuotaRefusal refusal) => new(0, refusal);
}
