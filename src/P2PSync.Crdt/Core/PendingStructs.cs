namespace P2PSync.Crdt.Core;

/// <summary>
/// Structs that could not be integrated yet, as a v2 update, and for each client the lowest
/// clock they wait for (once the doc's state passes it, integration is retried).
/// </summary>
internal sealed class PendingStructs
{
    public PendingStructs(Dictionary<ulong, int> missing, byte[] update)
    {
        Missing = missing;
        Update = update;
    }

    public Dictionary<ulong, int> Missing { get; }

    public byte[] Update { get; set; }
}
