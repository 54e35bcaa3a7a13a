using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Positions;

// Restoring a document at a snapshot (Yjs createDocFromSnapshot).
public sealed partial class Snapshot
{
    /// <summary>
    /// Fills <paramref name="newDoc"/> with the content <paramref name="originDoc"/> had at
    /// <paramref name="snapshot"/>: every struct below the snapshot's state vector, written as
    /// one v2 update together with the snapshot's delete set, and applied with origin "snapshot".
    /// </summary>
    internal static Doc CreateDocFromSnapshot(Doc originDoc, Snapshot snapshot, Doc newDoc)
    {
        if (originDoc.Gc)
        {
            // Content deleted after the snapshot may already be collected, so the result would be wrong.
            throw new InvalidOperationException("Garbage collection must be disabled in the origin doc to restore a snapshot of it.");
        }
        var store = originDoc.Store;
        var size = 0;
        foreach (var (client, clock) in snapshot.Sv)
        {
            if (clock > StructStore.GetState(store, client))
            {
                throw new ArgumentException(
                    $"The snapshot includes clock {clock} of client {client}, which the origin doc does not have.", nameof(snapshot));
            }
            if (clock > 0)
            {
                size++;
            }
        }

        var encoder = new UpdateEncoderV2();
        originDoc.Transact(transaction =>
        {
            encoder.RestWriter.WriteVarUint((ulong)size);
            foreach (var (client, clock) in snapshot.Sv)
            {
                if (clock == 0)
                {
                    continue;
                }
                // Split at the snapshot boundary so that the last struct written ends exactly there.
                if (clock < StructStore.GetState(store, client))
                {
                    StructStore.GetStructCleanStart(transaction, new ID(client, clock));
                }
                var structs = store.Clients[client];
                var lastStructIndex = StructStore.FindIndexSS(structs, clock - 1);
                encoder.RestWriter.WriteVarUint((ulong)(lastStructIndex + 1));
                encoder.WriteClient(client);
                // The first clock written is always 0: the restored doc gets the whole history.
                encoder.RestWriter.WriteVarUint(0);
                for (var i = 0; i <= lastStructIndex; i++)
                {
                    structs[i].Write(encoder, 0);
                }
            }
            DeleteSet.WriteDeleteSet(encoder, snapshot.Ds);
        });

        Y.ApplyUpdateV2(newDoc, encoder.ToArray(), "snapshot");
        return newDoc;
    }
}
