namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Mailbox settings beyond the size and rate limits of <see cref="RelayOptions"/>, bound from the
/// "Mailbox" section (appsettings.json, Mailbox__ReaderIdleDays, --Mailbox:ReaderIdleDays=7).
/// </summary>
internal sealed record MailboxOptions
{
    public const string SectionName = "Mailbox";

    public const string Requirement = "Mailbox:ReaderIdleDays must be a whole number of days from 1 to 3650.";

    /// <summary>
    /// A reader that has not fetched, subscribed or acknowledged a topic for this many days stops
    /// counting as one of its readers: a device that went away for good must not keep every later
    /// envelope of the topic stored until its TTL.
    /// </summary>
    public int ReaderIdleDays { get; set; } = 30;

    public TimeSpan ReaderIdleTime => TimeSpan.FromDays(ReaderIdleDays);

    public static bool IsValid(MailboxOptions options) => options.ReaderIdleDays is >= 1 and <= 3650;
}
