namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// Assertions whose failure message carries every node's log: with several processes, the log of
/// the node that did not do its part is what explains a failure, and it is gone once the test ends.
/// </summary>
internal static class Expect
{
    public static void Equal<T>(T expected, T actual, string what, NodeGroup group) =>
        Assert.True(
            EqualityComparer<T>.Default.Equals(expected, actual),
            $"{what}: expected {Show(expected)}, got {Show(actual)}\n{group.Logs()}");

    public static void NotListed(string item, IReadOnlyList<string> listed, string what, NodeGroup group) =>
        Assert.True(!listed.Contains(item), $"{what}: {item} must not be among {string.Join(", ", listed)}\n{group.Logs()}");

    private static string Show<T>(T value) => value is null ? "(null)" : $"\"{value}\"";
}
