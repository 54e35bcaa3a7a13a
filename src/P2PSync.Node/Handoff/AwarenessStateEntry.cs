namespace P2PSync.Node.Handoff;

/// <summary>
/// What the hub knows of one awareness client in one document. A removed state is kept for a
/// while (as Yjs keeps its meta clock) so an older copy still travelling cannot bring it back.
/// </summary>
internal sealed class AwarenessStateEntry
{
    public AwarenessStateEntry(ulong clock, string? stateJson, AwarenessOrigin origin, DateTimeOffset at)
    {
        Clock = clock;
        StateJson = stateJson;
        Origin = origin;
        At = at;
    }

    public ulong Clock { get; set; }

    /// <summary>The state as JSON text (relayed byte for byte), or null once removed.</summary>
    public string? StateJson { get; set; }

    public AwarenessOrigin Origin { get; set; }

    /// <summary>Last renewal of a live state, or when a removed one was removed.</summary>
    public DateTimeOffset At { get; set; }

    public bool IsLive => StateJson is not null;
}
