using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Positions;

// Wire format (lib0, identical to Yjs writeRelativePosition):
//
//   varuint 0, varuint client, varuint clock   -- anchored at an item
//   | varuint 1, varstring tname                 -- start/end of a root type
//   | varuint 2, varuint client, varuint clock   -- start/end of a nested type (id of its item)
//   then varint assoc
//
// Yjs before 13.5 wrote no assoc, so a missing assoc reads as 0. Bytes after the assoc are
// ignored, as Yjs ignores them.
public sealed partial class RelativePosition
{
    private const int TagItem = 0;
    private const int TagRootName = 1;
    private const int TagTypeId = 2;

    internal static void WriteRelativePosition(Lib0Writer writer, RelativePosition rpos)
    {
        if (rpos.Item is { } item)
        {
            writer.WriteVarUint(TagItem);
            WriteId(writer, item);
        }
        else if (rpos.TName is { } tname)
        {
            writer.WriteVarUint(TagRootName);
            writer.WriteVarString(tname);
        }
        else
        {
            // The constructor guarantees that at least one anchor is set.
            writer.WriteVarUint(TagTypeId);
            WriteId(writer, rpos.Type!.Value);
        }
        writer.WriteVarInt(rpos.Assoc);
    }

    internal static byte[] EncodeRelativePosition(RelativePosition rpos)
    {
        var writer = new Lib0Writer(16);
        WriteRelativePosition(writer, rpos);
        return writer.ToArray();
    }

    /// <summary>Reads one position; throws <see cref="UpdateFormatException"/> on malformed input.</summary>
    internal static RelativePosition ReadRelativePosition(Lib0Reader reader)
    {
        ID? type = null;
        string? tname = null;
        ID? item = null;
        var tag = reader.ReadVarUint();
        switch (tag)
        {
            case TagItem:
                item = ReadId(reader);
                break;
            case TagRootName:
                tname = reader.ReadVarString();
                break;
            case TagTypeId:
                type = ReadId(reader);
                break;
            default:
                // Yjs would build a position without any anchor, which fails on first use; reject it here.
                throw new UpdateFormatException($"Unknown relative position kind {tag}.");
        }
        var assoc = reader.HasContent ? reader.ReadVarIntAsInt() : 0;
        return new RelativePosition(type, tname, item, assoc);
    }

    internal static RelativePosition DecodeRelativePosition(ReadOnlyMemory<byte> bytes) =>
        ReadRelativePosition(new Lib0Reader(bytes));

    private static void WriteId(Lib0Writer writer, ID id)
    {
        writer.WriteVarUint(id.Client);
        writer.WriteVarUint((ulong)id.Clock);
    }

    private static ID ReadId(Lib0Reader reader)
    {
        var client = reader.ReadVarUint();
        var clock = reader.ReadVarUintAsInt();
        return new ID(client, clock);
    }
}
