namespace P2PSync.Crdt.Core;

/// <summary>How far one client's clock moved while a transaction was open.</summary>
internal struct ClientClockChange
{
    public ClientClockChange(ulong client, int before, int after)
    {
        Client = client;
        Before = before;
        After = after;
    }

    public ulong Client;

    /// <summary>The client's clock when the transaction began (Yjs beforeState).</summary>
    public int Before;

    /// <summary>The client's clock when the transaction's cleanup began (Yjs afterState).</summary>
    public int After;

    public readonly void Deconstruct(out ulong client, out int before, out int after)
    {
        client = Client;
        before = Before;
        after = After;
    }
}
