namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// Bytes that are not a membership entry: truncated, too long, an unknown version, kind or role.
/// Thrown by <see cref="MembershipEntryCodec"/> only; nothing has been applied anywhere.
/// </summary>
internal sealed class MembershipFormatException : FormatException
{
    public MembershipFormatException(string message)
        : base(message)
    {
    }
}
