using System.CommandLine;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>Runs a verb body that only a running node can serve (see <see cref="RunningNode"/>).</summary>
internal static class RunningNodeVerb
{
    /// <param name="feature">What needs the node, for the "not running" message.</param>
    public static void SetAction(
        Command command,
        Option<string?> dataOption,
        NodeEnvironment environment,
        string feature,
        Func<ApiNodeClient, ParseResult, TextWriter, CancellationToken, Task<int>> body)
    {
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, ct) =>
            {
                var data = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                await using var client = await RunningNode.ConnectAsync(data, feature, ct).ConfigureAwait(false);
                return await body(client, parseResult, output, ct).ConfigureAwait(false);
            },
            cancellationToken));
    }
}
