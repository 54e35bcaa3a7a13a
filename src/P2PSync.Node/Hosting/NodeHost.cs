using P2PSync.Node.Storage;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The one place that wires a node's concrete parts together. For now a node is its data
/// directory and its store; networking, sync and the API will be attached here.
/// </summary>
internal sealed class NodeHost : IDisposable
{
    private NodeHost(NodeOptions options, NodeStore store)
    {
        Options = options;
        Store = store;
    }

    /// <summary>The options the node was started with.</summary>
    public NodeOptions Options { get; }

    /// <summary>The node's open store.</summary>
    public NodeStore Store { get; }

    /// <summary>
    /// Creates the data directory if needed and opens (or creates) the store in it.
    /// Throws <see cref="StoreOpenException"/> when the store file cannot be used.
    /// </summary>
    public static NodeHost Start(NodeOptions options)
    {
        if (File.Exists(options.DataDirectory))
        {
            throw new StoreOpenException($"{options.DataDirectory} is a file, not a data directory");
        }

        Directory.CreateDirectory(options.DataDirectory);
        var store = NodeStore.Open(Path.Combine(options.DataDirectory, NodeStore.FileName));
        return new NodeHost(options, store);
    }

    /// <inheritdoc />
    public void Dispose() => Store.Dispose();
}
