using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Updates;

namespace P2PSync.Crdt.Core;

// Applying updates: phase 1 (decode and validate) and phase 2 (integrate, keep what is pending).
internal static partial class UpdateCodec
{
    // v2 columns are run-length encoded, so a few bytes can describe many structs (yjs encodes
    // 100,000 prepended-then-deleted characters in 42 bytes). The allowance keeps such real updates
    // working while bounding what a hostile v2 update can make us allocate (about 150 MB at most
    // for a tiny input, growing with its size).
    private const int V2StructAllowance = 1 << 20;
    private const int V2StructsPerByte = 64;

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
                var dsRest2 = DeleteSet.ReadAndApplyDeleteSet(pendingDsUpdate, transaction, store);
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
                    restStructs.Clients[client] = new StructList(inapplicableItems.Refs.GetRange(inapplicableItems.I, inapplicableItems.Refs.Count - inapplicableItems.I));
                    clientsStructRefs.Remove(client);
                    inapplicableItems.I = 0;
                    inapplicableItems.Refs = new List<AbstractStruct>();
                }
                else
                {
                    // The client's list was already moved to the rest; this item was its last one.
                    restStructs.Clients[client] = new StructList([item]);
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
}
