using System.CommandLine;
using P2PSync.Node.CrdtTools;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync crdt show FILE --root NAME:KIND ...</c>: loads an update and prints the named roots
/// as one JSON object, the way yjs's toJSON shows them, keys sorted.
/// </summary>
internal static class CrdtShowCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Update file to load." };
        var rootOption = new Option<string[]>("--root")
        {
            Description = "A root to print, as NAME:KIND with KIND text, array, map or xml. Repeat for more roots.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var v2Option = new Option<bool>("--v2") { Description = "The file is in update format v2 (default v1)." };
        var command = new Command("show", "Print roots of an update as JSON.");
        command.Add(file);
        command.Add(rootOption);
        command.Add(v2Option);
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var roots = new List<RootSpec>();
                foreach (var text in parseResult.GetRequiredValue(rootOption))
                {
                    var root = RootSpec.TryParse(text, out var problem)
                        ?? throw new CommandFailedException(ExitCodes.Failure, problem!);
                    // A root has one type for the life of a doc; asking for two would be a usage error.
                    if (roots.Find(r => r.Name == root.Name) is { } earlier && earlier.Kind != root.Kind)
                    {
                        throw new CommandFailedException(ExitCodes.Failure, $"root '{root.Name}' is given as both {earlier.Kind} and {root.Kind}");
                    }

                    if (!roots.Contains(root))
                    {
                        roots.Add(root);
                    }
                }

                var v2 = parseResult.GetValue(v2Option);
                var doc = UpdateFile.NewDoc();
                InputFiles.Read(parseResult.GetRequiredValue(file), path =>
                {
                    UpdateFile.ApplyTo(doc, path, v2);
                    return true;
                });

                await output.WriteLineAsync(DocJsonView.Render(doc, roots)).ConfigureAwait(false);
                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }
}
