using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// Where a marker text may and may not be: in a node's store files and in its log. A check that
/// it is absent is only worth something next to one that finds it where it belongs, so both are here.
/// </summary>
internal static class MarkerChecks
{
    /// <summary>The marker is in the node's store (the search itself works, and the text reached it).</summary>
    public static void Stored(NodeProcess node, string who, string marker) =>
        Assert.True(
            StoreScan.FilesContaining(node.DataDirectory, marker).Count > 0,
            $"\"{marker}\" should be in {who}'s store ({node.DataDirectory}), but no file holds it\n--- {who} log ---\n{node.Log}");

    /// <summary>Neither the node's store files nor its log hold the marker.</summary>
    public static void Absent(NodeProcess node, string who, string marker)
    {
        var files = StoreScan.FilesContaining(node.DataDirectory, marker);
        Assert.True(files.Count == 0, $"\"{marker}\" must never reach {who}, but its store holds it in {string.Join(", ", files)}\n--- {who} log ---\n{node.Log}");
        Assert.False(node.Log.Contains(marker, StringComparison.Ordinal), $"\"{marker}\" must never reach {who}, but its log shows it\n--- {who} log ---\n{node.Log}");
    }
}
