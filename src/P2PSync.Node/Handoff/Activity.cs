using System.Text.Json;

namespace P2PSync.Node.Handoff;

/// <summary>
/// What this device is doing now: the open documents with cursor, selection and view, and an
/// app-defined state. Travels whole (as <see cref="ActivityJson"/>) in a handoff and in summary
/// (a Presence) to trusted peers.
/// </summary>
/// <param name="Version">Grows by one with every change, so peers keep only the newest summary.</param>
/// <param name="UpdatedMs">When it last changed (Unix ms, from the node's TimeProvider).</param>
/// <param name="Documents">At most <see cref="ActivityLimits.MaxDocuments"/>, distinct ids.</param>
/// <param name="State">App-defined JSON, at most <see cref="ActivityLimits.MaxStateBytes"/> serialized (a cloned element, as for views).</param>
/// <param name="HandedOffTo">DeviceId text of the device that took this activity over, or null.</param>
/// <param name="ResumedFrom">DeviceId text of the device this activity was handed off from, or null.</param>
internal sealed record Activity(
    long Version,
    long UpdatedMs,
    IReadOnlyList<ActivityDocument> Documents,
    JsonElement? State,
    string? HandedOffTo,
    string? ResumedFrom)
{
    /// <summary>Nothing open yet: the state of a node that has just started.</summary>
    public static Activity Empty { get; } = new(0, 0, [], null, null, null);
}
