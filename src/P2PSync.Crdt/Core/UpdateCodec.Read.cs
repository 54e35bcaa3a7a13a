using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;

namespace P2PSync.Crdt.Core;

// Phase 1 of applying an update: reading and validating it without touching a doc.
internal static partial class UpdateCodec
{
    // Struct section (v1; v2 reads the same fields from its column streams, counts and clocks from
    // the rest stream):
    //   varuint clientCount
    //   clientCount x { varuint structCount, client (varuint), varuint firstClock,
    //                   structCount x { byte info, ... } }
    //   info & 0x1F: 0 GC {len}, 10 Skip {varuint len}, 1-9 item content ref;
    //   item: [0x80: leftId] [0x40: rightId]
    //         [neither: parentInfo (1 = root key string, 0 = parent item id), 0x20: parentSub string]
    //         content
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
        var numOfStateUpdates = rest.ReadCount(2);
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
                switch (info & ItemInfo.ContentRefMask)
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
        var item = Item.Read(decoder, info, id);
        // References within the same client must point to earlier clocks; anything else could never
        // be resolved and would make integration look up structs that do not exist.
        if (RefersForward(item.Origin, id) || RefersForward(item.RightOrigin, id) || RefersForward(item.ParentId, id))
        {
            throw new UpdateFormatException($"Item {id} refers to a later clock of its own client.");
        }
        if (item.ParentYKey is not null)
        {
            itemsWithRootParent.Add(item);
        }
        return item;
    }

    private static bool RefersForward(ID? reference, ID id) =>
        reference is { } r && r.Client == id.Client && r.Clock >= id.Clock;
}
