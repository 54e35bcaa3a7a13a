using System.CommandLine;
using System.Net.Sockets;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Cli;

/// <summary>
/// Runs a verb body and turns the failures we expect (bad input, unusable store) into one line on
/// stderr and an exit code. Anything else is a bug and keeps its stack trace.
/// </summary>
internal static class VerbRunner
{
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        Func<TextWriter, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return await body(output, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException ex)
        {
            await error.WriteLineAsync($"p2psync: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is StoreException or DeviceKeyException or SodiumUnavailableException)
        {
            await error.WriteLineAsync($"p2psync: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (SocketException ex)
        {
            // Typically the port is taken by another process.
            await error.WriteLineAsync($"p2psync: cannot listen: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (IOException ex) when (ex.InnerException is SocketException or Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await error.WriteLineAsync($"p2psync: cannot start the local API: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
