namespace P2PSync.Node.Security.Backup;

/// <summary>Why a device backup file could not be opened; each has its own message for the user.</summary>
internal enum DeviceBackupProblem
{
    /// <summary>The file does not start with the backup magic: some other file.</summary>
    NotABackup,

    /// <summary>A backup of a format version this build does not read.</summary>
    UnsupportedVersion,

    /// <summary>Truncated or altered: too short, or the checksum over the file does not match.</summary>
    Damaged,

    /// <summary>The file asks for Argon2id work beyond what this build accepts (a hostile file could ask for terabytes).</summary>
    UnsupportedCost,

    /// <summary>The file is intact but does not open with this passphrase.</summary>
    WrongPassphrase,

    /// <summary>The file opened but its content is not a valid backup (written by another version, or by hand).</summary>
    InvalidContent,
}
