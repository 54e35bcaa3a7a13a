using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Tests.Core;

internal static class CoreTestUtil
{
    public static Doc NewDoc(ulong client, bool gc = true) => new(new DocOptions { ClientId = client, Gc = gc });

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static string ToHex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public static string Json(object? value) => Lib0Any.ToJsonString(value);

    /// <summary>Everything observable about a doc's CRDT state: its full update (incl. pending) in both formats.</summary>
    public static (string V1, string V2) Snapshot(Doc doc) =>
        (ToHex(Y.EncodeStateAsUpdate(doc)), ToHex(Y.EncodeStateAsUpdateV2(doc)));
}
