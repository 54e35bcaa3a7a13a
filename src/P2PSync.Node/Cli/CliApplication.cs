using System.CommandLine;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>The <c>p2psync</c> command tree. Verbs stay thin; the work lives in Hosting and Storage.</summary>
internal static class CliApplication
{
    /// <summary>Builds the root command with every verb, reading paths from <paramref name="environment"/>.</summary>
    public static RootCommand CreateRootCommand(NodeEnvironment environment)
    {
        var dataOption = new Option<string?>("--data")
        {
            Description = "Data directory (default: $P2PSYNC_HOME, else $XDG_DATA_HOME/p2psync, else ~/.local/share/p2psync).",
            Recursive = true,
        };
        var root = new RootCommand("p2psync: local-first peer-to-peer sync of Yjs-compatible documents.");
        root.Add(dataOption);
        root.Add(InitCommand.Create(dataOption, environment));
        root.Add(IdCommand.Create(dataOption, environment));
        root.Add(UpCommand.Create(dataOption, environment));
        root.Add(StatusCommand.Create(dataOption, environment));
        root.Add(DocCommand.Create(dataOption, environment));
        root.Add(PeerCommand.Create(dataOption, environment));
        root.Add(PeersCommand.Create(dataOption, environment));
        root.Add(RelayCommand.Create(dataOption, environment));
        root.Add(SpaceCommand.Create(dataOption, environment));
        root.Add(InviteCommand.Create(dataOption, environment));
        root.Add(JoinCommand.Create(dataOption, environment));
        root.Add(DeviceCommand.Create(dataOption, environment));
        root.Add(ActivityCommand.Create(dataOption, environment));
        root.Add(HandoffCommand.Create(dataOption, environment));
        root.Add(CrdtCommand.Create());
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the chosen verb; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, NodeEnvironment environment, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Ctrl-C cancels the verb's token; `up` needs a moment to stop the API and close the store.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(20),
        };
        return CreateRootCommand(environment).Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
