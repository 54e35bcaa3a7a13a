namespace P2PSync.Node.Security.Backup;

/// <summary>
/// The next signed-record sequence number this device may use in a document. A restored device
/// starts there, so it never signs two different records under one (author, seq) (which peers
/// would refuse as a conflict) even though the records themselves are not in the backup.
/// </summary>
internal sealed record BackupSeqFloor(string DocId, ulong NextSeq);
