namespace P2PSync.Node.Transport.Relay;

/// <summary>The relay refused a request or the mailbox connection broke; <see cref="Code"/> is the relay's error code (or "closed", "protocol").</summary>
internal sealed class MailboxException : IOException
{
    public MailboxException(string code, string message)
        : base($"relay: {message} ({code})")
    {
        Code = code;
    }

    public string Code { get; }
}
