namespace P2PSync.Node.Transport;

/// <summary>Timing of <see cref="ConnectionManager"/>'s dialing.</summary>
internal sealed record ConnectionManagerOptions
{
    /// <summary>First retry delay; doubles per failed attempt.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that lived at least this long counts as healthy: the next redial starts from the initial delay.</summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(5);
}
