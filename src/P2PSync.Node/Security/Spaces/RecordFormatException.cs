namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// Bytes that are not a signed record: truncated, too long, an unknown version, a bad document id,
/// a zero sequence number, an update count or length out of range, or bytes after the signature.
/// Thrown by <see cref="SignedRecordCodec"/> only; nothing has been stored or applied.
/// </summary>
internal sealed class RecordFormatException : FormatException
{
    public RecordFormatException(string message)
        : base(message)
    {
    }
}
