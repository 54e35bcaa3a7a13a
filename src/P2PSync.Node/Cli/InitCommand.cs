using System.CommandLine;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync init [--force]</c>: create this device's key in the data directory.</summary>
internal static class InitCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var forceOption = new Option<bool>("--force")
        {
            Description = "Replace an existing device key. The device gets a new DeviceId and peers must trust it again.",
        };
        var command = new Command("init", "Create this device's key (device.key, mode 0600) and print its DeviceId.");
        command.Add(forceOption);
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var dataDir = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                // DeviceKeyException (key exists, unwritable) becomes one stderr line in VerbRunner.
                using var key = DeviceKeyStore.Create(dataDir, overwrite: parseResult.GetValue(forceOption));
                await output.WriteLineAsync($"Created device key {DeviceKeyStore.PathIn(dataDir)}").ConfigureAwait(false);
                await output.WriteLineAsync($"DeviceId: {key.Id}").ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

}
