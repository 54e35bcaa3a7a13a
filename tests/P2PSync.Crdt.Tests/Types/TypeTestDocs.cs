using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>Small helpers to create documents with fixed client ids and attribute sets (syncing is in <see cref="Support.DocSync"/>).</summary>
internal static class TypeTestDocs
{
    public static Doc Create(ulong clientId) => new(new DocOptions { ClientId = clientId });

    public static Dictionary<string, object?> Attrs(params (string Key, object? Value)[] pairs)
    {
        var d = new Dictionary<string, object?>();
        foreach (var (k, v) in pairs)
        {
            d[k] = v;
        }
        return d;
    }
}
