using System.CommandLine;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync up</c>: prepare the data directory and store, print where the store is.</summary>
internal static class UpCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("up", "Create or open this node's data directory and store, then print the store path.");
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var options = new NodeOptions
                {
                    DataDirectory = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment),
                };
                using var host = NodeHost.Start(options);
                await output.WriteLineAsync(host.Store.Path).ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }
}
