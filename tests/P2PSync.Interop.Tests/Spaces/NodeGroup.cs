using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// Several nodes started side by side (startup is mostly the .NET runtime's, so in parallel it
/// costs about one start), stopped together, and described together for failure messages.
/// </summary>
internal sealed class NodeGroup : IAsyncDisposable
{
    private readonly string[] _names;
    private readonly NodeProcess[] _nodes;

    private NodeGroup(string[] names, NodeProcess[] nodes)
    {
        _names = names;
        _nodes = nodes;
    }

    public NodeProcess this[int index] => _nodes[index];

    /// <summary>Starts one node per name; if any fails to start, the others are stopped before the failure surfaces.</summary>
    public static async Task<NodeGroup> StartAsync(params string[] names)
    {
        var starts = names.Select(name => NodeProcess.StartAsync(name)).ToArray();
        try
        {
            return new NodeGroup(names, await Task.WhenAll(starts));
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Every node's text of the document and its whole log: what a failed assertion needs to be understood.</summary>
    public Task<string> DescribeAsync(string docId) => NodeSyncProcessTests.Describe(docId, _nodes);

    /// <summary>Every node's log, headed by its name and short device id (the form the logs use).</summary>
    public string Logs() =>
        string.Join("\n", _nodes.Select((node, i) => $"--- {_names[i]} ({node.DeviceId[..8]}) log ---\n{node.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
