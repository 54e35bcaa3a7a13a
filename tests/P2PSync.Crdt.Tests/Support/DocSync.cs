using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Tests.Support;

/// <summary>Exchanges of state between in-memory documents, in the order the oracle scripts use.</summary>
internal static class DocSync
{
    /// <summary>Sends each doc what the other lacks (first to <paramref name="b"/>), like one round of the y-protocols sync.</summary>
    public static void Sync(Doc a, Doc b)
    {
        Y.ApplyUpdate(b, Y.EncodeStateAsUpdate(a, Y.EncodeStateVector(b)));
        Y.ApplyUpdate(a, Y.EncodeStateAsUpdate(b, Y.EncodeStateVector(a)));
    }

    /// <summary>
    /// Brings every doc to the same state by syncing neighbours along the list and back again
    /// (for three docs: 0-1, 1-2, 0-1), the closing exchange of the random oracle scripts.
    /// </summary>
    public static void SyncAll(IReadOnlyList<Doc> docs)
    {
        for (var i = 0; i + 1 < docs.Count; i++)
        {
            Sync(docs[i], docs[i + 1]);
        }
        for (var i = docs.Count - 3; i >= 0; i--)
        {
            Sync(docs[i], docs[i + 1]);
        }
    }
}
