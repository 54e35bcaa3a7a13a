namespace P2PSync.Node.Handoff;

/// <summary>
/// An activity (its JSON, or the parts given to <see cref="ActivityStore.Set"/>) is malformed or
/// over a limit of <see cref="ActivityLimits"/>. Nothing was changed.
/// </summary>
internal sealed class ActivityFormatException : FormatException
{
    public ActivityFormatException(string message) : base(message) { }

    public ActivityFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>True when the activity was well formed but too large (the API answers 413).</summary>
    public bool IsTooLarge { get; init; }
}
