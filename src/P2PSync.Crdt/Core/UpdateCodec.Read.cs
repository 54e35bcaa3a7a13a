using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;

namespace P2PSync.Crdt.Core;

// Phase 1 of applying an update: reading and validating it without touching a doc.
internal static partial class UpdateCodec
{
    // Info byte: bits 1-5 select the struct kind / content, bit 6 parentSub, bit 7 right origin, bit 8 origin.
    private const int ContentRefMask = 0x1F;
    private const int HasParentSubBit = 0x20;
    private const int HasRightOriginBit = 0x40;
    private const int HasOriginBit = 0x80;

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
}
