using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using P2PSync.Crdt;
using P2PSync.Node.CrdtTools;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync crdt replay --trace FILE</c>: replays an editing trace into a fresh document and
/// prints one JSON line with the time taken, final length, SHA-256 of the text and update size.
/// </summary>
internal static class CrdtReplayCommand
{
    public static Command Create()
    {
        var traceOption = new Option<string>("--trace")
        {
            Description = "Sequential editing trace (.json.gz or .json), format as in bench/traces/README.md.",
            Required = true,
        };
        var command = new Command("replay", "Replay an editing trace into a fresh doc and verify the final text.");
        command.Add(traceOption);
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var path = parseResult.GetRequiredValue(traceOption);
                var trace = InputFiles.Read(path, EditTraceReader.ReadFile);

                var doc = UpdateFile.NewDoc();
                var stopwatch = Stopwatch.StartNew();
                var text = TraceReplayer.Replay(trace, doc);
                var elapsed = stopwatch.Elapsed;
                var final = text.ToString();
                var updateBytes = Y.EncodeStateAsUpdate(doc).Length;

                if (final != trace.EndContent)
                {
                    throw new CommandFailedException(ExitCodes.Failure, $"{path}: {Mismatch(final, trace.EndContent)}");
                }

                var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(final)));
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{{\"ms\":{elapsed.TotalMilliseconds:0.###},\"len\":{final.Length},\"sha256\":\"{sha256}\",\"updateBytes\":{updateBytes}}}"))
                    .ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

    private static string Mismatch(string actual, string expected)
    {
        var common = 0;
        var shorter = Math.Min(actual.Length, expected.Length);
        while (common < shorter && actual[common] == expected[common])
        {
            common++;
        }

        return $"replayed text differs from endContent at UTF-16 index {common} (replayed length {actual.Length}, expected {expected.Length})";
    }
}
