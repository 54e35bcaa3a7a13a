using System.CommandLine;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync doc new|list|cat|append|rename|share-webrtc</c>: documents, through the running node or on the store.</summary>
internal static class DocCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("doc", "Create, list, read and edit documents.");
        command.Add(New(dataOption, environment));
        command.Add(List(dataOption, environment));
        command.Add(Cat(dataOption, environment));
        command.Add(Append(dataOption, environment));
        command.Add(Rename(dataOption, environment));
        command.Add(DocShareWebRtcCommand.Create(dataOption, environment));
        return command;
    }

    private static Option<string> RootOption() => new("--root")
    {
        Description = $"The root Y.Text to use (default '{ApiEndpoints.DefaultRoot}').",
        DefaultValueFactory = _ => ApiEndpoints.DefaultRoot,
    };

    private static Command New(Option<string?> dataOption, NodeEnvironment environment)
    {
        var name = new Argument<string>("name") { Description = "The document's name." };
        var space = new Option<string?>("--space") { Description = "The space it belongs to (id, unique prefix or unique name); default: your personal space." };
        var command = new Command("new", "Create a document; prints its id.") { name, space };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var doc = await client.CreateDocAsync(args.GetRequiredValue(name), args.GetValue(space), ct).ConfigureAwait(false);
            await output.WriteLineAsync(doc.Id).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("list", "List documents: id, name and space, tab-separated.");
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var docs = await client.ListDocsAsync(ct).ConfigureAwait(false);
            var spaces = (await client.ListSpacesAsync(ct).ConfigureAwait(false)).ToDictionary(s => s.Id, StringComparer.Ordinal);
            foreach (var doc in docs)
            {
                await output.WriteLineAsync($"{doc.Id}\t{doc.Name}\t{SpaceLabel(doc.Space, spaces)}").ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>The space's name with its short id (names need not be unique), or "-" for a document not yet in one.</summary>
    private static string SpaceLabel(string? spaceId, Dictionary<string, SpaceView> spaces) =>
        spaceId is null ? "-"
        : spaces.TryGetValue(spaceId, out var space) ? $"{space.Name} ({spaceId[..SpaceCommand.ShortIdLength]})"
        : spaceId[..SpaceCommand.ShortIdLength];

    private static Command Cat(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("id") { Description = "Document id." };
        var root = RootOption();
        var command = new Command("cat", "Print a document's text.") { id, root };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var doc = await client.GetDocAsync(args.GetRequiredValue(id), args.GetRequiredValue(root), ct).ConfigureAwait(false);
            await output.WriteLineAsync(doc.Text).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Rename(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("id") { Description = "Document id." };
        var name = new Argument<string>("name") { Description = "The new name (reaches peers; the newest rename wins)." };
        var command = new Command("rename", "Rename a document.") { id, name };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, _, ct) =>
            await client.RenameDocAsync(args.GetRequiredValue(id), args.GetRequiredValue(name), ct).ConfigureAwait(false));
        return command;
    }

    private static Command Append(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("id") { Description = "Document id." };
        var text = new Argument<string>("text") { Description = "Text to add at the end." };
        var root = RootOption();
        var command = new Command("append", "Append text to a document (durable before the command returns).") { id, text, root };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, _, ct) =>
            await client.AppendAsync(args.GetRequiredValue(id), args.GetRequiredValue(text), args.GetRequiredValue(root), ct).ConfigureAwait(false));
        return command;
    }
}
