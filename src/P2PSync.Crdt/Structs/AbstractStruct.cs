using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// A run of consecutive clock ticks of one client as kept in the <see cref="StructStore"/>:
/// an <see cref="Item"/>, a <see cref="GC"/> tombstone or (only while decoding) a <see cref="Skip"/>.
/// </summary>
internal abstract class AbstractStruct
{
    // The id is kept as two fields rather than an ID: the struct's padding would cost 8 bytes per struct.
    private ulong _client;
    private int _clock;

    protected AbstractStruct(ID id, int length)
    {
        _client = id.Client;
        _clock = id.Clock;
        Length = length;
    }

    /// <summary>The id of the first clock tick; the struct covers [Id.Clock, Id.Clock + Length).</summary>
    public ID Id
    {
        get => new(_client, _clock);
        set
        {
            _client = value.Client;
            _clock = value.Clock;
        }
    }

    public int Length { get; set; }

    public abstract bool Deleted { get; }

    /// <summary>
    /// Appends <paramref name="right"/> (which must start where this ends) to this struct.
    /// The caller removes <paramref name="right"/> from the store.
    /// </summary>
    public abstract bool MergeWith(AbstractStruct right);

    /// <summary>Writes this struct starting <paramref name="offset"/> ticks after its first one.</summary>
    public abstract void Write(IUpdateEncoder encoder, int offset);

    /// <summary>Adds the struct (minus the first <paramref name="offset"/> ticks the doc already has) to the doc.</summary>
    public abstract void Integrate(Transaction transaction, int offset);

    /// <summary>
    /// The client whose struct this one needs but the store lacks, or null once every reference
    /// has been resolved (which also binds left, right and parent as a side effect for items).
    /// </summary>
    public abstract ulong? GetMissing(Transaction transaction, StructStore store);
}
