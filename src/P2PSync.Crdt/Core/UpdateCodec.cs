using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Updates;

namespace P2PSync.Crdt.Core;

/// <summary>
/// Reading, writing and applying whole updates (Yjs encoding.js). Applying works in two phases:
/// <see cref="DecodeUpdate"/> reads and validates everything without touching the doc, then
/// <see cref="IntegrateDecodedUpdate"/> changes the doc and cannot fail on decoded input.
/// </summary>
internal static partial class UpdateCodec
{
    /// <summary>Writes the structs of one client from <paramref name="clock"/> on.</summary>
    private static void WriteStructs(IUpdateEncoder encoder, StructList structs, ulong client, int clock)
    {
        // The target may know less than our first struct (e.g. structs of a pending update start late).
        clock = Math.Max(clock, structs[0].Id.Clock);
        var startNewStructs = StructStore.FindIndexSS(structs, clock);
        var rest = encoder.RestWriter;
        rest.WriteVarUint((ulong)(structs.Count - startNewStructs));
        encoder.WriteClient(client);
        rest.WriteVarUint((ulong)clock);
        var firstStruct = structs[startNewStructs];
        firstStruct.Write(encoder, clock - firstStruct.Id.Clock);
        for (var i = startNewStructs + 1; i < structs.Count; i++)
        {
            structs[i].Write(encoder, 0);
        }
    }

    /// <summary>
    /// Writes every struct the target (state vector <paramref name="sm"/>) is missing, clients in
    /// descending id order (which also helps the receiver's conflict resolution).
    /// </summary>
    public static void WriteClientsStructs(IUpdateEncoder encoder, StructStore store, IReadOnlyDictionary<ulong, int> sm)
    {
        var toWrite = new Dictionary<ulong, int>();
        foreach (var (client, clock) in sm)
        {
            if (StructStore.GetState(store, client) > clock)
            {
                toWrite[client] = clock;
            }
        }
        foreach (var client in store.Clients.Keys)
        {
            if (!sm.ContainsKey(client))
            {
                toWrite[client] = 0;
            }
        }
        encoder.RestWriter.WriteVarUint((ulong)toWrite.Count);
        foreach (var client in DeleteSet.SortedDescending(toWrite.Keys, toWrite.Count))
        {
            WriteStructs(encoder, store.Clients[client], client, toWrite[client]);
        }
    }

    /// <summary>
    /// Writes the structs a transaction added (everything after its before-state): the same
    /// bytes as <see cref="WriteClientsStructs"/> with the before-state, looking only at the
    /// clients whose clock moved.
    /// </summary>
    public static void WriteStructsFromTransaction(IUpdateEncoder encoder, Transaction transaction)
    {
        var store = transaction.Doc.Store;
        var clients = new List<ClientClockChange>(transaction.ChangedClientCount);
        for (var i = 0; i < transaction.ChangedClientCount; i++)
        {
            var change = transaction.GetChangedClient(i);
            if (StructStore.GetState(store, change.Client) > change.Before)
            {
                clients.Add(change);
            }
        }
        clients.Sort(static (a, b) => b.Client.CompareTo(a.Client));
        encoder.RestWriter.WriteVarUint((ulong)clients.Count);
        foreach (var change in clients)
        {
            WriteStructs(encoder, store.Clients[change.Client], change.Client, change.Before);
        }
    }

    /// <summary>Writes everything the target (state vector) is missing: structs, then the complete delete set.</summary>
    public static void WriteStateAsUpdate(IUpdateEncoder encoder, Doc doc, IReadOnlyDictionary<ulong, int> targetStateVector)
    {
        WriteClientsStructs(encoder, doc.Store, targetStateVector);
        DeleteSet.WriteDeleteSet(encoder, DeleteSet.CreateDeleteSetFromStructStore(doc.Store));
    }

    /// <summary>
    /// The doc as one update for a target with state vector <paramref name="encodedTargetStateVector"/>
    /// (empty: everything), including pending structs and deletes, in the encoder's format.
    /// </summary>
    public static byte[] EncodeStateAsUpdate(Doc doc, ReadOnlyMemory<byte> encodedTargetStateVector, bool v2)
    {
        var targetStateVector = encodedTargetStateVector.IsEmpty
            ? new Dictionary<ulong, int>()
            : DecodeStateVector(encodedTargetStateVector);
        IUpdateEncoder encoder = v2 ? new UpdateEncoderV2() : new UpdateEncoderV1();
        WriteStateAsUpdate(encoder, doc, targetStateVector);
        var first = encoder.ToArray();
        var pendingDs = doc.Store.PendingDs;
        var pendingStructs = doc.Store.PendingStructs;
        if (pendingDs is null && pendingStructs is null)
        {
            return first;
        }
        var updates = new List<byte[]> { first };
        if (pendingDs is not null)
        {
            updates.Add(pendingDs);
        }
        if (pendingStructs is not null)
        {
            var sv = encodedTargetStateVector.IsEmpty ? new byte[] { 0 } : encodedTargetStateVector;
            updates.Add(UpdateUtils.DiffUpdateV2(pendingStructs.Update, sv));
        }
        if (v2)
        {
            return UpdateUtils.MergeUpdatesV2(updates);
        }
        for (var i = 1; i < updates.Count; i++)
        {
            updates[i] = UpdateUtils.ConvertUpdateFormatV2ToV1(updates[i]);
        }
        return UpdateUtils.MergeUpdates(updates);
    }

    /// <summary>Reads a state vector (client to next expected clock).</summary>
    public static Dictionary<ulong, int> ReadStateVector(IDSDecoder decoder)
    {
        var rest = decoder.RestReader;
        var ssLength = rest.ReadCount(2);
        var ss = new Dictionary<ulong, int>(ssLength);
        for (var i = 0; i < ssLength; i++)
        {
            var client = rest.ReadVarUint();
            ss[client] = rest.ReadVarUintAsInt();
        }
        return ss;
    }

    /// <summary>Decodes a v1-encoded state vector; malformed input throws <see cref="UpdateFormatException"/>.</summary>
    public static Dictionary<ulong, int> DecodeStateVector(ReadOnlyMemory<byte> decodedState) =>
        ReadStateVector(new DSDecoderV1(new Lib0Reader(decodedState)));

    /// <summary>Writes a state vector with clients in descending order.</summary>
    public static void WriteStateVector(IDSEncoder encoder, IReadOnlyDictionary<ulong, int> sv)
    {
        var rest = encoder.RestWriter;
        rest.WriteVarUint((ulong)sv.Count);
        foreach (var client in DeleteSet.SortedDescending(sv.Keys, sv.Count))
        {
            rest.WriteVarUint(client);
            rest.WriteVarUint((ulong)sv[client]);
        }
    }

    public static void WriteDocumentStateVector(IDSEncoder encoder, Doc doc) =>
        WriteStateVector(encoder, StructStore.GetStateVector(doc.Store));

    /// <summary>The state vector of <paramref name="doc"/> in the v1 encoding.</summary>
    public static byte[] EncodeStateVector(Doc doc)
    {
        var encoder = new DSEncoderV1();
        WriteDocumentStateVector(encoder, doc);
        return encoder.ToArray();
    }

    /// <summary>A state vector in the v1 encoding.</summary>
    public static byte[] EncodeStateVector(IReadOnlyDictionary<ulong, int> sv)
    {
        var encoder = new DSEncoderV1();
        WriteStateVector(encoder, sv);
        return encoder.ToArray();
    }
}
