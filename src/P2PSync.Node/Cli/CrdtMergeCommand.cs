using System.CommandLine;
using P2PSync.Node.CrdtTools;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync crdt merge --out OUT IN...</c>: applies every input update to one document, in
/// order, and writes the document's full state as a single update.
/// </summary>
internal static class CrdtMergeCommand
{
    public static Command Create()
    {
        var outOption = new Option<string>("--out") { Description = "File to write the merged update to.", Required = true };
        var v2Option = new Option<bool>("--v2") { Description = "Read and write update format v2 (default v1)." };
        var inputs = new Argument<string[]>("inputs") { Description = "Update files, applied in order.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Apply update files to one doc and write its full state.");
        command.Add(outOption);
        command.Add(v2Option);
        command.Add(inputs);
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            (_, _) =>
            {
                var v2 = parseResult.GetValue(v2Option);
                var doc = UpdateFile.NewDoc();
                foreach (var input in parseResult.GetRequiredValue(inputs))
                {
                    InputFiles.Read(input, path =>
                    {
                        UpdateFile.ApplyTo(doc, path, v2);
                        return true;
                    });
                }

                var output = parseResult.GetRequiredValue(outOption);
                try
                {
                    UpdateFile.WriteAtomically(output, UpdateFile.Encode(doc, v2));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CommandFailedException(ExitCodes.Failure, $"{output}: cannot write: {ex.Message}", ex);
                }

                return Task.FromResult(ExitCodes.Ok);
            },
            cancellationToken));
        return command;
    }
}
