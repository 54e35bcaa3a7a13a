using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Node.CrdtTools;

/// <summary>
/// Renders document roots the way yjs's <c>toJSON()</c> + <c>JSON.stringify</c> would, with
/// object keys sorted so the output of two implementations can be compared as plain text.
/// </summary>
internal static class DocJsonView
{
    /// <summary>One JSON object with a member per root (in name order), each as yjs's toJSON gives it.</summary>
    public static string Render(Doc doc, IReadOnlyList<RootSpec> roots)
    {
        var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            AbstractType type = root.Kind switch
            {
                RootKind.Text => doc.GetText(root.Name),
                RootKind.Array => doc.GetArray(root.Name),
                RootKind.Map => doc.GetMap(root.Name),
                _ => doc.GetXmlFragment(root.Name),
            };
            result[root.Name] = ToJsonValue(type);
        }

        return Lib0Any.ToJsonString(new Dictionary<string, object?>(result));
    }

    /// <summary>
    /// yjs toJSON for one value: text and XML types become their string form, arrays and maps
    /// recurse (plain objects inside them too, so every key is sorted), other values stay as they are.
    /// </summary>
    public static object? ToJsonValue(object? value) => value switch
    {
        // YXmlText is a YText and YXmlElement a YXmlFragment; both print via ToString as in yjs.
        YText text => text.ToString(),
        YXmlFragment xml => xml.ToString(),
        YArray array => ConvertList(array.ToArray()),
        YMap map => ConvertMap(map),
        // A subdocument is never loaded by these tools, and an unloaded Y.Doc's toJSON is {}.
        Doc => new Dictionary<string, object?>(),
        IReadOnlyDictionary<string, object?> dictionary => SortKeys(dictionary),
        IReadOnlyList<object?> list => ConvertList(list),
        byte[] => value,
        // A bare AbstractType (a root nobody typed) has yjs's default toJSON, which is undefined.
        AbstractType => Undefined.Value,
        _ => value,
    };

    private static List<object?> ConvertList(IReadOnlyList<object?> items)
    {
        var result = new List<object?>(items.Count);
        foreach (var item in items)
        {
            result.Add(ToJsonValue(item));
        }

        return result;
    }

    private static Dictionary<string, object?> ConvertMap(YMap map)
    {
        var keys = new List<string>(map.Keys);
        keys.Sort(StringComparer.Ordinal);
        var result = new Dictionary<string, object?>(keys.Count);
        foreach (var key in keys)
        {
            result[key] = ToJsonValue(map.Get(key));
        }

        return result;
    }

    private static Dictionary<string, object?> SortKeys(IReadOnlyDictionary<string, object?> dictionary)
    {
        var keys = new List<string>(dictionary.Keys);
        keys.Sort(StringComparer.Ordinal);
        var result = new Dictionary<string, object?>(keys.Count);
        foreach (var key in keys)
        {
            result[key] = ToJsonValue(dictionary[key]);
        }

        return result;
    }
}
