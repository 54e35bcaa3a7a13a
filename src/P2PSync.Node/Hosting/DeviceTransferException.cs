namespace P2PSync.Node.Hosting;

/// <summary>
/// <c>device export</c> or <c>import</c> refused before touching anything: a data directory that
/// is not fit for it, a running node, an unreadable or unwritable file, a backup whose spaces do
/// not hold up. (A file that is not a backup, damaged or under another passphrase is a
/// <see cref="Security.Backup.DeviceBackupException"/> instead.)
/// </summary>
internal sealed class DeviceTransferException : Exception
{
    public DeviceTransferException(string message, bool badInput, Exception? inner = null)
        : base(message, inner)
    {
        BadInput = badInput;
    }

    /// <summary>The file or the backup in it is at fault (rather than the data directory or the machine).</summary>
    public bool BadInput { get; }
}
