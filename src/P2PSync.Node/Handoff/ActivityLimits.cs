namespace P2PSync.Node.Handoff;

/// <summary>
/// Size limits of an activity. They bound what a peer can make us hold in memory and keep a
/// handoff's header (HandoffBegin.activity_json) one reasonable message.
/// </summary>
internal static class ActivityLimits
{
    /// <summary>App state, serialized as UTF-8 JSON.</summary>
    public const int MaxStateBytes = 1024 * 1024;

    /// <summary>One document's view JSON.</summary>
    public const int MaxViewBytes = 64 * 1024;

    /// <summary>Open documents in one activity.</summary>
    public const int MaxDocuments = 64;

    /// <summary>One encoded relative position (a client id, a clock, or a root type name: small).</summary>
    public const int MaxPositionBytes = 1024;

    /// <summary>
    /// The whole activity JSON: the state plus 64 KiB for everything else (ids, positions, views).
    /// Matches EnvelopeValidator.MaxActivityJsonBytes, the limit on HandoffBegin.activity_json.
    /// </summary>
    public const int MaxJsonBytes = MaxStateBytes + (64 * 1024);

    /// <summary>Nesting depth of state and view JSON.</summary>
    public const int MaxJsonDepth = 64;
}
