namespace P2PSync.Crdt.Core;

/// <summary>
/// Identifies one unit of content: the writing client and its logical clock.
/// Client ids are random 32-bit values in Yjs but may be up to 2^53 on the wire;
/// clocks count UTF-16 units / elements and are bounded by int.MaxValue here
/// (a larger clock in an update is rejected as malformed).
/// </summary>
public readonly record struct ID(ulong Client, int Clock)
{
    public override string ToString() => $"{Client}:{Clock}";
}
