namespace P2PSync.Node.Hosting;

/// <summary>Settings a node starts with.</summary>
internal sealed class NodeOptions
{
    /// <summary>Directory holding the store and, later, keys and logs. Created if missing.</summary>
    public required string DataDirectory { get; init; }
}
