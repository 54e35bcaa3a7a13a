using System.CommandLine;
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
        catch (StoreOpenException ex)
        {
            await error.WriteLineAsync($"p2psync: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
