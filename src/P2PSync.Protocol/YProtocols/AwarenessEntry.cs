namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// One client's entry in an awareness update. <paramref name="StateJson"/> is the JSON text
/// y-protocols writes with <c>JSON.stringify</c>; "null" means the client went away.
/// </summary>
public sealed record AwarenessEntry(ulong ClientId, ulong Clock, string StateJson)
{
    /// <summary>True when the entry announces that the client left (state null).</summary>
    public bool IsRemoval => StateJson == "null";
}
