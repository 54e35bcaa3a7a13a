using System.CommandLine;
using System.Text;
using System.Text.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync activity set|show</c>: this device's activity for scripts, through the running node.
/// Positions are indexes into the root text <c>text</c>; the node keeps them as relative positions,
/// so <c>show</c> prints where they are now, after any edits since.
/// </summary>
internal static class ActivityCommand
{
    private const string Feature = "the activity";

    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("activity", "Set or show what this device is doing (open document, cursor, selection, app state).");
        command.Add(Set(dataOption, environment));
        command.Add(Show(dataOption, environment));
        return command;
    }

    /// <summary>The JSON <c>show</c> prints: <c>{"documents":[{"id","cursor","anchor"}],"state"}</c>, indexes resolved now.</summary>
    public static string ToJson(ActivityView activity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("documents");
            foreach (var doc in activity.Documents)
            {
                json.WriteStartObject();
                json.WriteString("id", doc.Id);
                WriteIndex(json, "cursor", doc.Cursor);
                WriteIndex(json, "anchor", doc.Anchor);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WritePropertyName("state");
            if (activity.State is { } state)
            {
                state.WriteTo(json);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses <c>--state</c>.</summary>
    /// <exception cref="CommandFailedException">Not one JSON value (exit code 2).</exception>
    public static JsonElement ParseState(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = Handoff.ActivityLimits.MaxJsonDepth });
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CommandFailedException(ExitCodes.BadInput, $"--state is not valid JSON: {ex.Message}", ex);
        }
    }

    private static void WriteIndex(Utf8JsonWriter json, string name, int? index)
    {
        if (index is { } value)
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static Command Set(Option<string?> dataOption, NodeEnvironment environment)
    {
        var docOption = new Option<string>("--doc") { Description = "The open document's id.", Required = true };
        var cursorOption = new Option<int>("--cursor") { Description = "Cursor: index into the root text `text` (0 = before the first character).", Required = true };
        var anchorOption = new Option<int?>("--anchor") { Description = "Selection anchor index (the selection runs from anchor to cursor); none = no selection." };
        var stateOption = new Option<string?>("--state") { Description = "App-defined state, one JSON value (at most 1 MiB)." };
        var command = new Command("set", "Replace this device's activity with one open document and a cursor; prints it as `show` does.")
        {
            docOption, cursorOption, anchorOption, stateOption,
        };
        RunningNodeVerb.SetAction(command, dataOption, environment, Feature, async (client, args, output, ct) =>
        {
            var cursor = args.GetValue(cursorOption);
            var anchor = args.GetValue(anchorOption);
            if (cursor < 0 || anchor < 0)
            {
                throw new CommandFailedException(ExitCodes.BadInput, "--cursor and --anchor are indexes: 0 or more");
            }

            var state = args.GetValue(stateOption) is { } text ? ParseState(text) : (JsonElement?)null;
            var request = new ActivityRequest([new ActivityDocumentRequest(args.GetRequiredValue(docOption), cursor, anchor, null, null, null)], state);
            var activity = await client.SetActivityAsync(request, ct).ConfigureAwait(false);
            await output.WriteLineAsync(ToJson(activity)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("show", "Print this device's activity as JSON: documents with cursor and anchor indexes resolved now, and the app state.");
        RunningNodeVerb.SetAction(command, dataOption, environment, Feature, async (client, args, output, ct) =>
        {
            await output.WriteLineAsync(ToJson(await client.GetActivityAsync(ct).ConfigureAwait(false))).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
