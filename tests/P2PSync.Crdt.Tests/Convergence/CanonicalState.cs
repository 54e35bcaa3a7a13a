using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;

namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// A doc's full state encoded like Y.EncodeStateAsUpdate, except that runs of adjacent GC structs
/// are written as one. With garbage collection on, whether adjacent GC structs end up merged
/// depends on which transactions delivered them: yjs 13.6.33 replaying the per-replica histories
/// of failing seeds gives different bytes per replica, and the same bytes as ours per replica.
/// Joining GC runs removes exactly that freedom, so converged replicas must agree on these bytes.
/// </summary>
internal static class CanonicalState
{
    public static byte[] Encode(Doc doc)
    {
        var store = doc.Store;
        var encoder = new UpdateEncoderV1();
        var clients = store.Clients.Keys.OrderByDescending(c => c).ToList();
        encoder.RestWriter.WriteVarUint((ulong)clients.Count);
        foreach (var client in clients)
        {
            var structs = JoinGcRuns(store.Clients[client]);
            encoder.RestWriter.WriteVarUint((ulong)structs.Count);
            encoder.WriteClient(client);
            encoder.RestWriter.WriteVarUint(0);
            foreach (var s in structs)
            {
                s.Write(encoder, 0);
            }
        }
        DeleteSet.WriteDeleteSet(encoder, DeleteSet.CreateDeleteSetFromStructStore(store));
        return encoder.ToArray();
    }

    private static List<AbstractStruct> JoinGcRuns(IReadOnlyList<AbstractStruct> structs)
    {
        var result = new List<AbstractStruct>(structs.Count);
        for (var i = 0; i < structs.Count; i++)
        {
            if (structs[i] is not GC first)
            {
                result.Add(structs[i]);
                continue;
            }
            var length = first.Length;
            while (i + 1 < structs.Count && structs[i + 1] is GC next)
            {
                length += next.Length;
                i++;
            }
            result.Add(new GC(first.Id, length));
        }
        return result;
    }
}
