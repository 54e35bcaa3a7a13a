using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Types;

internal static class TypeTestKeys
{
    /// <summary><c>JSON.stringify([...event.keys.entries()])</c>.</summary>
    public static string Json(IReadOnlyDictionary<string, KeyChange> keys)
    {
        var list = new List<object?>();
        foreach (var (key, change) in keys)
        {
            var c = new Dictionary<string, object?> { ["action"] = change.Action.ToString().ToLowerInvariant() };
            if (change.OldValue is not Undefined)
            {
                c["oldValue"] = change.OldValue;
            }
            list.Add(new List<object?> { key, c });
        }
        return Lib0Any.ToJsonString(list);
    }
}
