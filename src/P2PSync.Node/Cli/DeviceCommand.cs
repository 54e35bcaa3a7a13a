using System.CommandLine;
using P2PSync.Node.Crypto;
using P2PSync.Node.Hosting;
using P2PSync.Node.Security.Backup;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync device export FILE</c> / <c>device import FILE</c>: move this device (identity,
/// spaces and keys, peers) to a new machine in a passphrase-protected file.
/// </summary>
internal static class DeviceCommand
{
    /// <summary>
    /// Test-only: "1" makes exports use Argon2id's minimum cost so the test suite stays fast. Such
    /// a file is still sealed and opens normally, but a passphrase behind it is far cheaper to guess.
    /// </summary>
    public const string MinimumCostVariable = "P2PSYNC_INSECURE_BACKUP_COST_FOR_TESTS";

    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("device", "Export this device to a passphrase-protected file, or import one onto a new machine.");
        command.Add(Export(dataOption, environment));
        command.Add(Import(dataOption, environment));
        return command;
    }

    private static Option<string?> PassphraseFileOption() => new("--passphrase-file")
    {
        Description = $"Read the passphrase from this file (else ${PassphraseInput.EnvironmentVariable}, else a prompt).",
    };

    private static Command Export(Option<string?> dataOption, NodeEnvironment environment)
    {
        var file = new Argument<string>("file") { Description = "The backup file to create (never overwritten)." };
        var passphraseFile = PassphraseFileOption();
        var command = new Command("export", "Write this device's identity, spaces with their keys, and peers to a passphrase-protected file.") { file, passphraseFile };
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var data = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                var path = parseResult.GetRequiredValue(file);
                var passphrase = PassphraseInput.Read(parseResult.GetValue(passphraseFile), environment, confirm: true);
                var summary = Run(() => Service(environment).Export(data, Environment.MachineName, passphrase, path));
                await output.WriteLineAsync(
                    $"exported device {summary.Device} (\"{summary.DeviceName}\"): {summary.Spaces} space(s) with their keys, {summary.Peers} peer(s)").ConfigureAwait(false);
                await output.WriteLineAsync(
                    $"{path} opens with your passphrase only; anyone with both can act as this device, so keep them apart and safe").ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

    private static Command Import(Option<string?> dataOption, NodeEnvironment environment)
    {
        var file = new Argument<string>("file") { Description = "A file written by `p2psync device export`." };
        var passphraseFile = PassphraseFileOption();
        var command = new Command("import", "Become the exported device on this machine (into a data directory without a device key, with no node running).") { file, passphraseFile };
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var data = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                var path = parseResult.GetRequiredValue(file);
                var passphrase = PassphraseInput.Read(parseResult.GetValue(passphraseFile), environment, confirm: false);
                var summary = Run(() => Service(environment).Import(data, passphrase, path));
                await output.WriteLineAsync(
                    $"imported device {summary.Device} (\"{summary.DeviceName}\"): {summary.Spaces} space(s), {summary.Peers} peer(s)").ConfigureAwait(false);
                await output.WriteLineAsync(
                    "documents are not in the backup: they come back from your other devices and space members by sync once the node runs (`p2psync up`)").ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

    private static DeviceBackupService Service(NodeEnvironment environment) =>
        new(TimeProvider.System, environment.Get(MinimumCostVariable) == "1"
            ? new Argon2idCost(Argon2idCost.MinOpsLimit, Argon2idCost.MinMemLimitBytes)
            : DeviceBackupCodec.DefaultCost);

    private static DeviceBackupSummary Run(Func<DeviceBackupSummary> transfer)
    {
        try
        {
            return transfer();
        }
        catch (DeviceBackupException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, ex.Message, ex);
        }
        catch (DeviceTransferException ex)
        {
            throw new CommandFailedException(ex.BadInput ? ExitCodes.BadInput : ExitCodes.Failure, ex.Message, ex);
        }
        catch (PasswordHashingFailedException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"cannot derive the key from the passphrase on this machine: {ex.Message}", ex);
        }
    }
}
