using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;

namespace P2PSync.Crdt.Updates;

/// <summary>
/// Streams the structs of an update one at a time without a Doc (yjs LazyStructReader).
/// Items keep their parent unresolved (<see cref="Item.ParentYKey"/> or <see cref="Item.ParentId"/>)
/// and are never integrated. After the last struct the decoder is positioned at the delete set.
/// </summary>
internal sealed class LazyStructReader
{
    /// <summary>
    /// Upper bound on the structs of one update. Run-length columns let a v2 update of a few
    /// bytes claim billions of structs; this keeps the work (and the output of merge/convert)
    /// bounded. Real updates stay far below it because adjacent structs are merged.
    /// </summary>
    public const int MaxStructs = 1 << 24;

    private const int SkipInfo = 10;

    private readonly IUpdateDecoder _decoder;
    private readonly bool _filterSkips;
    private ulong _clientsLeft;
    private ulong _structsLeft;
    private ulong _client;
    private int _clock;
    private int _structsRead;

    public LazyStructReader(IUpdateDecoder decoder, bool filterSkips)
    {
        _decoder = decoder;
        _filterSkips = filterSkips;
        _clientsLeft = decoder.RestReader.ReadVarUint();
        Next();
    }

    /// <summary>The current struct, or null when the update has no more.</summary>
    public AbstractStruct? Curr { get; private set; }

    public AbstractStruct? Next()
    {
        do
        {
            Curr = ReadStruct();
        }
        while (_filterSkips && Curr is Skip);
        return Curr;
    }

    private AbstractStruct? ReadStruct()
    {
        var rest = _decoder.RestReader;
        while (_structsLeft == 0)
        {
            if (_clientsLeft == 0)
            {
                return null;
            }
            _clientsLeft--;
            _structsLeft = rest.ReadVarUint();
            _client = _decoder.ReadClient();
            _clock = rest.ReadVarUintAsInt();
        }
        _structsLeft--;
        if (++_structsRead > MaxStructs)
        {
            throw new UpdateFormatException($"Update has more than {MaxStructs} structs.");
        }
        var id = new ID(_client, _clock);
        var info = _decoder.ReadInfo();
        AbstractStruct result;
        if (info == SkipInfo)
        {
            result = new Skip(id, rest.ReadVarUintAsInt());
        }
        else if ((info & ItemInfo.ContentRefMask) != 0)
        {
            result = Item.Read(_decoder, info, id);
        }
        else
        {
            result = new GC(id, _decoder.ReadLen());
        }
        if (result.Length <= 0)
        {
            throw new UpdateFormatException($"Struct {id} has length zero.");
        }
        if ((long)_clock + result.Length > int.MaxValue)
        {
            throw new UpdateFormatException($"Struct {id} extends beyond clock int.MaxValue.");
        }
        _clock += result.Length;
        return result;
    }
}
