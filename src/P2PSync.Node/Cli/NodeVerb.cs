using System.CommandLine;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>Runs a document/peer verb body against the node (API if running, else the store).</summary>
internal static class NodeVerb
{
    public static void SetAction(
        Command command,
        Option<string?> dataOption,
        NodeEnvironment environment,
        Func<INodeClient, ParseResult, TextWriter, CancellationToken, Task> body)
    {
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, ct) =>
            {
                var data = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                await using var client = await NodeClients.OpenAsync(data, ct).ConfigureAwait(false);
                await body(client, parseResult, output, ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
    }
}
