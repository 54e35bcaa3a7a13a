using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;
using P2PSync.Crdt.Updates;

namespace P2PSync.Crdt.Core;

/// <summary>
/// Reading, writing and applying whole updates (Yjs encoding.js). Applying works in two phases:
/// <see cref="DecodeUpdate"/> reads and validates everything without touching the doc, then
/// <see cref="IntegrateDecodedUpdate"/> changes the doc and cannot fail on decoded input.
/// </summary>
internal static class UpdateCodec
{
    // Info byte: bits 1-5 select the struct kind / content, bit 6 parentSub, bit 7 right origin, bit 8 origin.
    private const int ContentRefMask = 0x1F;
    private const int HasParentSubBit = 0x20;
    private const int HasRightOriginBit = 0x40;
    private const int HasOriginBit = 0x80;

    // v2 columns are run-length encoded, so a few bytes can describe many structs; this bounds
    // what a hostile v2 update can make us allocate while leaving room for real (compressible) ones.
    private const int V2StructAllowance = 1 << 16;
    private const int V2StructsPerByte = 16;

    /// <summary>Writes the structs of one client from <paramref name="clock"/> on.</summary>
    private static void WriteStructs(IUpdateEncoder encoder, List<AbstractStruct> structs, ulong client, int clock)
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
    /// Reads the struct section of an update into unintegrated structs (phase 1). Validates what
    /// integration relies on: sane counts, clocks within int, no empty structs, and references to
    /// the same client only pointing backwards.
    /// </summary>
    public static (Dictionary<ulong, StructRefs> Refs, List<Item> ItemsWithRootParent) ReadClientsStructRefs(IUpdateDecoder decoder, long structBudget)
    {
        var clientRefs = new Dictionary<ulong, StructRefs>();
        var itemsWithRootParent = new List<Item>();
        var rest = decoder.RestReader;
        // Every client section takes at least two bytes of the rest stream (struct count and first clock).
        var numOfStateUpdates = ReadCount(rest, 2);
        var budget = structBudget;
        for (var c = 0; c < numOfStateUpdates; c++)
        {
            var numberOfStructs = rest.ReadVarUint();
            if ((long)numberOfStructs > budget)
            {
                throw new UpdateFormatException($"Update claims {numberOfStructs} structs, more than its size allows.");
            }
            budget -= (long)numberOfStructs;
            var count = (int)numberOfStructs;
            var refs = new List<AbstractStruct>(Math.Min(count, 4096));
            var client = decoder.ReadClient();
            var clock = rest.ReadVarUintAsInt();
            clientRefs[client] = new StructRefs(refs);
            for (var i = 0; i < count; i++)
            {
                var info = decoder.ReadInfo();
                AbstractStruct s;
                switch (info & ContentRefMask)
                {
                    case GC.StructRef:
                        s = new GC(new ID(client, clock), decoder.ReadLen());
                        break;
                    case Skip.StructRef:
                        s = new Skip(new ID(client, clock), rest.ReadVarUintAsInt());
                        break;
                    default:
                        s = ReadItem(decoder, info, new ID(client, clock), itemsWithRootParent);
                        break;
                }
                if (s.Length <= 0)
                {
                    throw new UpdateFormatException($"Struct {s.Id} has no length.");
                }
                if ((long)clock + s.Length > int.MaxValue)
                {
                    throw new UpdateFormatException($"Struct {s.Id} overflows the clock range.");
                }
                refs.Add(s);
                clock += s.Length;
            }
        }
        return (clientRefs, itemsWithRootParent);
    }

    private static Item ReadItem(IUpdateDecoder decoder, byte info, ID id, List<Item> itemsWithRootParent)
    {
        ID? origin = (info & HasOriginBit) != 0 ? decoder.ReadLeftId() : null;
        ID? rightOrigin = (info & HasRightOriginBit) != 0 ? decoder.ReadRightId() : null;
        // Without origins the parent is on the wire: a root key or the id of the item holding the parent type.
        var cantCopyParentInfo = (info & (HasOriginBit | HasRightOriginBit)) == 0;
        string? parentYKey = null;
        ID? parentId = null;
        if (cantCopyParentInfo)
        {
            if (decoder.ReadParentInfo())
            {
                parentYKey = decoder.ReadString();
            }
            else
            {
                parentId = decoder.ReadLeftId();
            }
        }
        var parentSub = cantCopyParentInfo && (info & HasParentSubBit) != 0 ? decoder.ReadString() : null;
        var content = ContentReader.Read(decoder, info & ContentRefMask);

        // References within the same client must point to earlier clocks; anything else could never
        // be resolved and would make integration look up structs that do not exist.
        if (RefersForward(origin, id) || RefersForward(rightOrigin, id) || RefersForward(parentId, id))
        {
            throw new UpdateFormatException($"Item {id} refers to a later clock of its own client.");
        }
        var item = new Item(id, null, origin, null, rightOrigin, null, parentSub, content);
        if (parentYKey is not null)
        {
            item.ParentYKey = parentYKey;
            itemsWithRootParent.Add(item);
        }
        else if (parentId is not null)
        {
            item.ParentId = parentId;
        }
        return item;
    }

    private static bool RefersForward(ID? reference, ID id) =>
        reference is { } r && r.Client == id.Client && r.Clock >= id.Clock;

    /// <summary>
    /// Integrates decoded structs in causal order. Structs whose dependencies are missing are
    /// returned as a v2 update with, per client, the lowest clock that is missing.
    /// </summary>
    private static PendingStructs? IntegrateStructs(Transaction transaction, StructStore store, Dictionary<ulong, StructRefs> clientsStructRefs)
    {
        if (clientsStructRefs.Count == 0)
        {
            return null;
        }
        var stack = new List<AbstractStruct>();
        // Ascending, consumed from the end: the highest client id goes first, as in Yjs.
        var clientsStructRefsIds = new List<ulong>(clientsStructRefs.Keys);
        clientsStructRefsIds.Sort();

        StructRefs? GetNextStructTarget()
        {
            while (clientsStructRefsIds.Count > 0)
            {
                var target = clientsStructRefs[clientsStructRefsIds[^1]];
                if (target.I < target.Refs.Count)
                {
                    return target;
                }
                clientsStructRefsIds.RemoveAt(clientsStructRefsIds.Count - 1);
            }
            return null;
        }

        var curStructsTarget = GetNextStructTarget();
        if (curStructsTarget is null)
        {
            return null;
        }

        var restStructs = new StructStore();
        var missingSv = new Dictionary<ulong, int>();
        void UpdateMissingSv(ulong client, int clock)
        {
            if (!missingSv.TryGetValue(client, out var mclock) || mclock > clock)
            {
                missingSv[client] = clock;
            }
        }

        void AddStackToRestSs()
        {
            foreach (var item in stack)
            {
                var client = item.Id.Client;
                if (clientsStructRefs.TryGetValue(client, out var inapplicableItems))
                {
                    // The item on the stack was taken from this list but could not be applied.
                    inapplicableItems.I--;
                    restStructs.Clients[client] = inapplicableItems.Refs.GetRange(inapplicableItems.I, inapplicableItems.Refs.Count - inapplicableItems.I);
                    clientsStructRefs.Remove(client);
                    inapplicableItems.I = 0;
                    inapplicableItems.Refs = new List<AbstractStruct>();
                }
                else
                {
                    // The client's list was already moved to the rest; this item was its last one.
                    restStructs.Clients[client] = new List<AbstractStruct> { item };
                }
                // Do not come back to this client in this update.
                clientsStructRefsIds.Remove(client);
            }
            stack.Clear();
        }

        var stackHead = curStructsTarget.Refs[curStructsTarget.I++];
        // The local state is read very often; cache it per client.
        var state = new Dictionary<ulong, int>();

        while (true)
        {
            if (stackHead is not Skip)
            {
                var headClient = stackHead.Id.Client;
                if (!state.TryGetValue(headClient, out var localClock))
                {
                    localClock = StructStore.GetState(store, headClient);
                    state[headClient] = localClock;
                }
                var offset = localClock - stackHead.Id.Clock;
                if (offset < 0)
                {
                    // An earlier struct of the same client is missing.
                    stack.Add(stackHead);
                    UpdateMissingSv(headClient, stackHead.Id.Clock - 1);
                    AddStackToRestSs();
                }
                else
                {
                    var missing = stackHead.GetMissing(transaction, store);
                    if (missing is { } missingClient)
                    {
                        stack.Add(stackHead);
                        if (!clientsStructRefs.TryGetValue(missingClient, out var structRefs) || structRefs.Refs.Count == structRefs.I)
                        {
                            // This update depends on another update that has not arrived yet.
                            UpdateMissingSv(missingClient, StructStore.GetState(store, missingClient));
                            AddStackToRestSs();
                        }
                        else
                        {
                            stackHead = structRefs.Refs[structRefs.I++];
                            continue;
                        }
                    }
                    else if (offset == 0 || offset < stackHead.Length)
                    {
                        stackHead.Integrate(transaction, offset);
                        state[headClient] = stackHead.Id.Clock + stackHead.Length;
                    }
                }
            }

            if (stack.Count > 0)
            {
                stackHead = stack[^1];
                stack.RemoveAt(stack.Count - 1);
            }
            else if (curStructsTarget is not null && curStructsTarget.I < curStructsTarget.Refs.Count)
            {
                stackHead = curStructsTarget.Refs[curStructsTarget.I++];
            }
            else
            {
                curStructsTarget = GetNextStructTarget();
                if (curStructsTarget is null)
                {
                    break;
                }
                stackHead = curStructsTarget.Refs[curStructsTarget.I++];
            }
        }

        if (restStructs.Clients.Count == 0)
        {
            return null;
        }
        var encoder = new UpdateEncoderV2();
        WriteClientsStructs(encoder, restStructs, new Dictionary<ulong, int>());
        encoder.RestWriter.WriteVarUint(0); // an empty delete set
        return new PendingStructs(missingSv, encoder.ToArray());
    }

    /// <summary>Writes the structs a transaction added (everything after its before-state).</summary>
    public static void WriteStructsFromTransaction(IUpdateEncoder encoder, Transaction transaction) =>
        WriteClientsStructs(encoder, transaction.Doc.Store, transaction.BeforeState);

    /// <summary>
    /// Phase 1 of applying: decodes and validates the whole update (structs and delete set).
    /// Throws <see cref="UpdateFormatException"/> for malformed input; never touches a doc.
    /// </summary>
    /// <param name="update">The encoded update.</param>
    /// <param name="v2">Whether it is in format v2.</param>
    /// <param name="trusted">
    /// True for updates this doc encoded itself (pending structs); they are exempt from the struct
    /// budget because re-encoding may compress them beyond what the budget allows for foreign input.
    /// </param>
    public static DecodedUpdate DecodeUpdate(ReadOnlyMemory<byte> update, bool v2, bool trusted = false)
    {
        try
        {
            IUpdateDecoder decoder = v2 ? new UpdateDecoderV2(update) : new UpdateDecoderV1(update);
            // v1 structs take at least two bytes each, which ReadClientsStructRefs cannot see per
            // client; the rest-stream size is a tight bound for them.
            var budget = trusted
                ? long.MaxValue
                : v2
                ? V2StructAllowance + (long)V2StructsPerByte * update.Length
                : decoder.RestReader.Remaining / 2;
            var (refs, rootItems) = ReadClientsStructRefs(decoder, budget);
            var ds = DeleteSet.ReadDeleteSetEntries(decoder);
            return new DecodedUpdate(refs, rootItems, ds);
        }
        catch (UpdateFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing has been changed yet, so any failure of a decoder can safely be reported as bad input.
            throw new UpdateFormatException("Malformed update: " + e.Message, e);
        }
    }

    /// <summary>
    /// Phase 2 of applying: integrates a decoded update in a (remote) transaction, keeps what cannot
    /// be integrated yet as pending, and retries pending structs once their dependencies arrived.
    /// </summary>
    public static void IntegrateDecodedUpdate(Doc doc, DecodedUpdate decoded, object? transactionOrigin)
    {
        Transaction.Transact(doc, transaction =>
        {
            transaction.Local = false;
            var store = doc.Store;
            // Root parents are looked up (and created) in wire order, as Yjs does while reading.
            foreach (var item in decoded.ItemsWithRootParent)
            {
                item.Parent = doc.Get(item.ParentYKey!);
                item.ParentYKey = null;
            }
            var restStructs = IntegrateStructs(transaction, store, decoded.ClientsStructRefs);
            var retry = false;
            var pending = store.PendingStructs;
            if (pending is not null)
            {
                foreach (var (client, clock) in pending.Missing)
                {
                    if (clock < StructStore.GetState(store, client))
                    {
                        retry = true;
                        break;
                    }
                }
                if (restStructs is not null)
                {
                    foreach (var (client, clock) in restStructs.Missing)
                    {
                        if (!pending.Missing.TryGetValue(client, out var mclock) || mclock > clock)
                        {
                            pending.Missing[client] = clock;
                        }
                    }
                    pending.Update = UpdateUtils.MergeUpdatesV2(new[] { pending.Update, restStructs.Update });
                }
            }
            else
            {
                store.PendingStructs = restStructs;
            }

            var dsRest = DeleteSet.ApplyDeleteSetEntries(decoded.DeleteSet, transaction, store);
            if (store.PendingDs is { } pendingDs)
            {
                var pendingDsUpdate = new UpdateDecoderV2(pendingDs);
                pendingDsUpdate.RestReader.ReadVarUint(); // no structs: pending deletes are stored as a struct-less update
                var dsRest2 = DeleteSet.ApplyDeleteSetEntries(DeleteSet.ReadDeleteSetEntries(pendingDsUpdate), transaction, store);
                store.PendingDs = dsRest is not null && dsRest2 is not null
                    ? UpdateUtils.MergeUpdatesV2(new[] { dsRest, dsRest2 })
                    : dsRest ?? dsRest2;
            }
            else
            {
                store.PendingDs = dsRest;
            }

            if (retry)
            {
                var update = store.PendingStructs!.Update;
                store.PendingStructs = null;
                IntegrateDecodedUpdate(doc, DecodeUpdate(update, v2: true, trusted: true), transactionOrigin);
            }
        }, transactionOrigin, false);
    }

    /// <summary>Decodes, validates and applies an update (format v1 or v2) to <paramref name="doc"/>.</summary>
    public static void ApplyUpdate(Doc doc, ReadOnlyMemory<byte> update, object? transactionOrigin, bool v2)
    {
        var decoded = DecodeUpdate(update, v2);
        IntegrateDecodedUpdate(doc, decoded, transactionOrigin);
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
        var ssLength = ReadCount(rest, 2);
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

    private static int ReadCount(Lib0Reader reader, int minBytesEach)
    {
        var count = reader.ReadVarUint();
        if (count > (ulong)(reader.Remaining / minBytesEach))
        {
            throw new UpdateFormatException($"Count {count} exceeds what the remaining {reader.Remaining} bytes can hold.");
        }
        return (int)count;
    }
}
