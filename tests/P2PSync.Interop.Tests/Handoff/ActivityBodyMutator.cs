using System.Text;
using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Seeded mutations of a valid <c>PUT /api/activity</c> body: wrong types, out-of-range and
/// unknown values, broken base64 positions, over-limit sizes, and byte-level damage to the JSON.
/// </summary>
internal sealed class ActivityBodyMutator
{
    private readonly Random _random;
    private readonly string _docId;
    private readonly int _textLength;

    public ActivityBodyMutator(int seed, string docId, int textLength)
    {
        _random = new Random(seed);
        _docId = docId;
        _textLength = textLength;
    }

    /// <summary>
    /// A mutated body, a one-line description of what was done, and whether the node must refuse
    /// it (false where the mutation may by chance leave a valid body: random bytes, random positions).
    /// </summary>
    public (string Body, string Mutation, bool MustBeRefused) Next()
    {
        var body = new JsonObject
        {
            ["documents"] = new JsonArray(new JsonObject { ["id"] = _docId, ["cursor"] = _random.Next(_textLength + 1), ["anchor"] = _random.Next(_textLength + 1) }),
            ["state"] = new JsonObject { ["k"] = "v" },
        };
        var document = (JsonObject)body["documents"]![0]!;
        switch (_random.Next(14))
        {
            case 0:
                document["cursor"] = _textLength + 1 + _random.Next(1000);
                return (body.ToJsonString(), "cursor past the end of the text", true);
            case 1:
                document["cursor"] = -1 - _random.Next(1000);
                return (body.ToJsonString(), "negative cursor", true);
            case 2:
                document["id"] = "no-such-document-" + _random.Next();
                return (body.ToJsonString(), "unknown document id", true);
            case 3:
                document["cursor"] = "ten";
                return (body.ToJsonString(), "cursor of the wrong type", true);
            case 4:
                document.Remove("cursor");
                document["cursorRelative"] = RandomBase64();
                return (body.ToJsonString(), "cursorRelative that is no Yjs relative position", false);
            case 5:
                document["cursorRelative"] = "%%% not base64 %%%";
                return (body.ToJsonString(), "cursorRelative that is not base64", true);
            case 6:
                body["state"] = new string('x', 1024 * 1024 + 1 + _random.Next(1000));
                return (body.ToJsonString(), "state over 1 MiB", true);
            case 7:
                body["documents"] = new JsonArray(Enumerable.Range(0, 65).Select(_ => (JsonNode)new JsonObject { ["id"] = _docId, ["cursor"] = 0 }).ToArray());
                return (body.ToJsonString(), "65 documents", true);
            case 8:
                body["documents"] = "not a list";
                return (body.ToJsonString(), "documents of the wrong type", true);
            case 9:
                document["view"] = new string('v', 64 * 1024 + 1);
                return (body.ToJsonString(), "view over 64 KiB", true);
            case 10:
                return (new string('[', 200 + _random.Next(800)) + new string(']', 200), "nesting far too deep", true);
            case 11:
                var text = body.ToJsonString();
                return (text[.._random.Next(text.Length)], "truncated JSON", true);
            case 12:
                var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
                for (var i = 0; i < 1 + _random.Next(4); i++)
                {
                    bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
                }

                return (Encoding.UTF8.GetString(bytes), "random bytes overwritten", false);
            default:
                document["id"] = null;
                return (body.ToJsonString(), "document without an id", true);
        }
    }

    private string RandomBase64()
    {
        var bytes = new byte[1 + _random.Next(40)];
        _random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }
}
