namespace P2PSync.Node.Security.Backup;

/// <summary>One content key of a space in a device backup: its epoch and its 32 bytes (base64 in the JSON).</summary>
internal sealed record BackupSpaceKey(ulong Epoch, byte[] Key)
{
    // Key material must never reach a log through a printed record.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Epoch = {Epoch}, Key = (hidden)");
        return true;
    }
}
