using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Handoff;

/// <summary>
/// The JSON form of an <see cref="Activity"/>: what <c>HandoffBegin.activity_json</c> carries.
/// </summary>
/// <remarks>
/// <code>
/// { "version": 7, "updatedMs": 1763791200000,
///   "documents": [ { "id": "notes", "cursor": "base64"|null, "anchor": "base64"|null, "view": any|null } ],
///   "state": any|null, "handedOffTo": "DEVICEID"|null, "resumedFrom": "DEVICEID"|null }
/// </code>
/// cursor and anchor are <c>Y.EncodeRelativePosition</c> bytes in standard base64. Parsing
/// ignores unknown properties (a newer peer may add some) but rejects duplicates, wrong types
/// and everything over <see cref="ActivityLimits"/>.
/// </remarks>
internal static class ActivityJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Not HTML-safe escaping: the JSON only goes to our own parser and apps' JSON parsers,
        // and escaping every non-ASCII character would double the size of non-Latin app state.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = ActivityLimits.MaxJsonDepth + 8,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = ActivityLimits.MaxJsonDepth + 8,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The activity as UTF-8 JSON.</summary>
    /// <exception cref="ActivityFormatException">The activity breaks a rule or limit (see <see cref="Validate"/>).</exception>
    public static byte[] Serialize(Activity activity)
    {
        Validate(activity);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", activity.Version);
            writer.WriteNumber("updatedMs", activity.UpdatedMs);
            writer.WriteStartArray("documents");
            foreach (var document in activity.Documents)
            {
                writer.WriteStartObject();
                writer.WriteString("id", document.DocId);
                WriteBytes(writer, "cursor", document.Cursor);
                WriteBytes(writer, "anchor", document.Anchor);
                WriteJson(writer, "view", document.View);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteJson(writer, "state", activity.State);
            WriteText(writer, "handedOffTo", activity.HandedOffTo);
            WriteText(writer, "resumedFrom", activity.ResumedFrom);
            writer.WriteEndObject();
        }

        if (buffer.WrittenCount > ActivityLimits.MaxJsonBytes)
        {
            throw new ActivityFormatException($"the activity is {buffer.WrittenCount} bytes as JSON; at most {ActivityLimits.MaxJsonBytes} are allowed") { IsTooLarge = true };
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an activity written by <see cref="Serialize"/> (or by a peer).</summary>
    /// <exception cref="ActivityFormatException">Not valid JSON, not this shape, or over a limit.</exception>
    public static Activity Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > ActivityLimits.MaxJsonBytes)
        {
            throw new ActivityFormatException($"the activity is {json.Length} bytes as JSON; at most {ActivityLimits.MaxJsonBytes} are allowed") { IsTooLarge = true };
        }

        // The reader accepts invalid UTF-8 inside strings and only fails when a string is read
        // (with an InvalidOperationException); checking first keeps every failure one exception type.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new ActivityFormatException("the activity is not valid UTF-8");
        }

        JsonDocument? document = null;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                throw new ActivityFormatException("the activity JSON has content after its end");
            }

            var activity = Read(document.RootElement);
            Validate(activity);
            return activity;
        }
        catch (JsonException ex)
        {
            throw new ActivityFormatException($"the activity is not valid JSON: {ex.Message}", ex);
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>
    /// Checks every rule a parsed activity meets: version and time not negative, at most
    /// <see cref="ActivityLimits.MaxDocuments"/> documents with valid, distinct ids, positions of
    /// 1 to <see cref="ActivityLimits.MaxPositionBytes"/> bytes, view and state within their
    /// limits and depth, device ids that parse.
    /// </summary>
    /// <exception cref="ActivityFormatException">The first rule broken.</exception>
    public static void Validate(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Version < 0 || activity.UpdatedMs < 0)
        {
            throw new ActivityFormatException("version and updatedMs must not be negative");
        }

        ArgumentNullException.ThrowIfNull(activity.Documents);
        if (activity.Documents.Count > ActivityLimits.MaxDocuments)
        {
            throw new ActivityFormatException($"the activity has {activity.Documents.Count} documents; at most {ActivityLimits.MaxDocuments} are allowed") { IsTooLarge = true };
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in activity.Documents)
        {
            if (document is null)
            {
                throw new ActivityFormatException("a document entry is null");
            }

            try
            {
                EnvelopeValidator.ValidateDocId(document.DocId ?? "");
            }
            catch (WireFormatException ex)
            {
                throw new ActivityFormatException(ex.Message, ex);
            }

            if (!ids.Add(document.DocId!))
            {
                throw new ActivityFormatException($"document {document.DocId} is listed twice");
            }

            CheckPosition(document.DocId!, "cursor", document.Cursor);
            CheckPosition(document.DocId!, "anchor", document.Anchor);
            CheckJsonSize($"the view of {document.DocId}", document.View, ActivityLimits.MaxViewBytes);
        }

        CheckJsonSize("the state", activity.State, ActivityLimits.MaxStateBytes);
        CheckDeviceId("handedOffTo", activity.HandedOffTo);
        CheckDeviceId("resumedFrom", activity.ResumedFrom);
    }

    /// <summary>How many bytes <paramref name="value"/> takes in an activity's JSON (0 for null).</summary>
    public static int JsonSize(JsonElement? value)
    {
        if (value is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return 0;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            element.WriteTo(writer);
        }

        return buffer.WrittenCount;
    }

    private static Activity Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ActivityFormatException($"the activity must be a JSON object, not {root.ValueKind}");
        }

        long? version = null;
        long? updatedMs = null;
        List<ActivityDocument>? documents = null;
        JsonElement? state = null;
        string? handedOffTo = null;
        string? resumedFrom = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new ActivityFormatException($"property {property.Name} appears twice");
            }

            switch (property.Name)
            {
                case "version":
                    version = ReadLong(property);
                    break;
                case "updatedMs":
                    updatedMs = ReadLong(property);
                    break;
                case "documents":
                    documents = ReadDocuments(property.Value);
                    break;
                case "state":
                    state = ReadJson(property.Value);
                    break;
                case "handedOffTo":
                    handedOffTo = ReadText(property);
                    break;
                case "resumedFrom":
                    resumedFrom = ReadText(property);
                    break;
            }
        }

        if (version is null || updatedMs is null || documents is null)
        {
            throw new ActivityFormatException("the activity needs version, updatedMs and documents");
        }

        return new Activity(version.Value, updatedMs.Value, documents, state, handedOffTo, resumedFrom);
    }

    private static List<ActivityDocument> ReadDocuments(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ActivityFormatException($"documents must be an array, not {array.ValueKind}");
        }

        var count = array.GetArrayLength();
        if (count > ActivityLimits.MaxDocuments)
        {
            throw new ActivityFormatException($"the activity has {count} documents; at most {ActivityLimits.MaxDocuments} are allowed") { IsTooLarge = true };
        }

        var documents = new List<ActivityDocument>(count);
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ActivityFormatException($"a document entry must be an object, not {item.ValueKind}");
            }

            string? id = null;
            byte[]? cursor = null;
            byte[]? anchor = null;
            JsonElement? view = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in item.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new ActivityFormatException($"document property {property.Name} appears twice");
                }

                switch (property.Name)
                {
                    case "id":
                        id = ReadText(property);
                        break;
                    case "cursor":
                        cursor = ReadBytes(property);
                        break;
                    case "anchor":
                        anchor = ReadBytes(property);
                        break;
                    case "view":
                        view = ReadJson(property.Value);
                        break;
                }
            }

            if (id is null)
            {
                throw new ActivityFormatException("a document entry has no id");
            }

            documents.Add(new ActivityDocument(id, cursor, anchor, view));
        }

        return documents;
    }

    private static long ReadLong(JsonProperty property)
    {
        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var value))
        {
            throw new ActivityFormatException($"{property.Name} must be a whole number");
        }

        return value;
    }

    private static string? ReadText(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => property.Value.GetString(),
        _ => throw new ActivityFormatException($"{property.Name} must be a string or null, not {property.Value.ValueKind}"),
    };

    private static byte[]? ReadBytes(JsonProperty property)
    {
        var text = ReadText(property);
        if (text is null)
        {
            return null;
        }

        if (text.Length > ((ActivityLimits.MaxPositionBytes + 2) / 3 * 4))
        {
            throw new ActivityFormatException($"{property.Name} is longer than a relative position can be");
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new ActivityFormatException($"{property.Name} is not base64: {ex.Message}", ex);
        }
    }

    // Null stays null: "no view" and "view: null" mean the same. The clone outlives the JsonDocument.
    private static JsonElement? ReadJson(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? null : value.Clone();

    private static void CheckPosition(string docId, string name, byte[]? position)
    {
        if (position is not null && (position.Length == 0 || position.Length > ActivityLimits.MaxPositionBytes))
        {
            throw new ActivityFormatException($"the {name} of {docId} is {position.Length} bytes; a relative position is 1 to {ActivityLimits.MaxPositionBytes}");
        }
    }

    private static void CheckJsonSize(string what, JsonElement? value, int limit)
    {
        if (value is { ValueKind: JsonValueKind.Undefined })
        {
            throw new ActivityFormatException($"{what} is an undefined JSON value");
        }

        if (Depth(value) > ActivityLimits.MaxJsonDepth)
        {
            throw new ActivityFormatException($"{what} nests deeper than {ActivityLimits.MaxJsonDepth} levels");
        }

        var size = JsonSize(value);
        if (size > limit)
        {
            throw new ActivityFormatException($"{what} is {size} bytes as JSON; at most {limit} are allowed") { IsTooLarge = true };
        }
    }

    private static int Depth(JsonElement? value)
    {
        if (value is not { } root)
        {
            return 0;
        }

        // Iterative, so a hostile nesting depth cannot overflow the stack.
        var deepest = 0;
        var stack = new Stack<(JsonElement Element, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (element, depth) = stack.Pop();
            deepest = Math.Max(deepest, depth);
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    stack.Push((property.Value, depth + 1));
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    stack.Push((item, depth + 1));
                }
            }
        }

        return deepest;
    }

    private static void CheckDeviceId(string name, string? text)
    {
        if (text is not null && !DeviceId.TryParse(text, out _))
        {
            throw new ActivityFormatException($"{name} is not a device id");
        }
    }

    private static void WriteBytes(Utf8JsonWriter writer, string name, byte[]? bytes)
    {
        if (bytes is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteBase64String(name, bytes);
        }
    }

    private static void WriteJson(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is { ValueKind: not JsonValueKind.Null } element)
        {
            element.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteText(Utf8JsonWriter writer, string name, string? text)
    {
        if (text is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, text);
        }
    }
}
