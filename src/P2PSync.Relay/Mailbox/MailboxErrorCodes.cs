namespace P2PSync.Relay.Mailbox;

/// <summary>The machine-readable codes of Error frames (docs/protocol/relay-mailbox.md lists which ones close).</summary>
internal static class MailboxErrorCodes
{
    public const string Unauthenticated = "unauthenticated";
    public const string BadSignature = "bad_signature";
    public const string Replayed = "replayed";
    public const string AlreadyAuthenticated = "already_authenticated";
    public const string AuthTimeout = "auth_timeout";
    public const string Malformed = "malformed";
    public const string Invalid = "invalid";
    public const string Unexpected = "unexpected";
    public const string TooLarge = "too_large";
    public const string Quota = "quota";
    public const string RateLimited = "rate_limited";
    public const string TooManySubscriptions = "too_many_subscriptions";
    public const string Unavailable = "unavailable";
}
