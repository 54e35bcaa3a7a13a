using P2PSync.Interop.Tests.Handoff;
using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// The space, invite and join verbs as a user runs them: the real CLI as its own process against
/// a node's data directory. Each helper checks the output shape the verb promises (the id or
/// the code alone on the last line) so a script could rely on it.
/// </summary>
internal static class SpaceCli
{
    /// <summary><c>space new NAME</c>; the new space's id (its last line).</summary>
    public static async Task<string> NewSpaceAsync(NodeProcess node, string name) =>
        LastLine(await P2PSyncCli.SucceedAsync(node, "space", "new", name));

    /// <summary><c>doc new NAME --space SPACE</c>; the new document's id (its last line).</summary>
    public static async Task<string> NewDocAsync(NodeProcess node, string name, string space) =>
        LastLine(await P2PSyncCli.SucceedAsync(node, "doc", "new", name, "--space", space));

    /// <summary>
    /// <c>invite SPACE --role ROLE --address HOST:PORT [--expires E]</c>, naming the inviter's
    /// loopback address (the tests never rely on discovered addresses); returns the code.
    /// </summary>
    public static async Task<string> InviteAsync(NodeProcess inviter, string space, string role, string? expires = null)
    {
        var args = new List<string> { "invite", space, "--role", role, "--address", inviter.Address };
        if (expires is not null)
        {
            args.AddRange(["--expires", expires]);
        }

        var result = await P2PSyncCli.SucceedAsync(inviter, [.. args]);
        var lines = Lines(result);
        Assert.True(lines.Count >= 2, $"invite printed fewer than two lines (URL, then the code):\n{result}");
        var code = lines[^1];
        Assert.True(
            lines[^2].StartsWith("p2psync://join/", StringComparison.Ordinal) && lines[^2].EndsWith(code, StringComparison.Ordinal),
            $"the line above the code should be its p2psync://join/ link:\n{result}");
        return code;
    }

    /// <summary><c>join CODE</c> on a running node; the caller decides what the outcome must be.</summary>
    public static Task<CliResult> JoinAsync(NodeProcess joiner, string code) => P2PSyncCli.RunAsync(joiner, "join", code);

    /// <summary><c>join CODE</c> that must succeed.</summary>
    public static async Task JoinOrFailAsync(NodeProcess joiner, NodeProcess inviter, string code)
    {
        var result = await JoinAsync(joiner, code);
        Assert.True(result.Succeeded, $"{result}\n--- joiner log ---\n{joiner.Log}\n--- inviter log ---\n{inviter.Log}");
    }

    /// <summary>The ids of <c>doc list</c> (id TAB name per line).</summary>
    public static async Task<IReadOnlyList<string>> DocIdsAsync(NodeProcess node) =>
        [.. Lines(await P2PSyncCli.SucceedAsync(node, "doc", "list")).Select(line => line.Split('\t')[0])];

    /// <summary><c>space list</c> as printed: what a user sees, compared whole before and after refusals.</summary>
    public static async Task<string> ListAsync(NodeProcess node) => (await P2PSyncCli.SucceedAsync(node, "space", "list")).Stdout;

    private static string LastLine(CliResult result)
    {
        var lines = Lines(result);
        Assert.True(lines.Count > 0, $"printed nothing:\n{result}");
        return lines[^1];
    }

    private static List<string> Lines(CliResult result) =>
        [.. result.Stdout.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0)];
}
