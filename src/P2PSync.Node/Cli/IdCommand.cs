using System.CommandLine;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync id</c>: print this device's DeviceId, alone on one line, for copying or scripts.</summary>
internal static class IdCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("id", "Print this device's DeviceId (create the key first with 'p2psync init').");
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var dataDir = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                using var key = DeviceKeyStore.Load(dataDir);
                await output.WriteLineAsync(key.Id.ToString()).ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }
}
