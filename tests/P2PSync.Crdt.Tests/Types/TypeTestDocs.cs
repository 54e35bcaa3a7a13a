using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Tests.Types;

/// <summary>Small helpers to create documents with fixed client ids and exchange their updates.</summary>
internal static class TypeTestDocs
{
    public static Doc Create(ulong clientId) => new(new DocOptions { ClientId = clientId });

    /// <summary>Sends each doc what the other lacks, like one round of the y-protocols sync.</summary>
    public static void Sync(Doc a, Doc b)
    {
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a, Y.EncodeStateVector(b)));
        Y.ApplyUpdate(a, Y.EncodeStateAsUpdate(b, Y.EncodeStateVector(a)));
    }

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
