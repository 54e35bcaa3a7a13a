using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// The payload of an <see cref="Item"/> (Yjs AbstractContent). One implementation per
/// content kind, each in its own file; <see cref="Ref"/> is the wire number Yjs uses.
/// </summary>
internal interface IContent
{
    /// <summary>Number of clock ticks this content occupies.</summary>
    int Length { get; }

    /// <summary>Whether the content counts towards its parent's length (formats and deletions do not).</summary>
    bool Countable { get; }

    /// <summary>The user-visible values (one per clock tick for countable content).</summary>
    IReadOnlyList<object?> GetContent();

    IContent Copy();

    /// <summary>Split at <paramref name="offset"/>: this keeps [0, offset), the result holds the rest.</summary>
    IContent Splice(int offset);

    /// <summary>Append <paramref name="right"/> if it is of the same kind; returns whether it merged.</summary>
    bool MergeWith(IContent right);

    void Integrate(Transaction transaction, Item item);

    void Delete(Transaction transaction);

    void Gc(StructStore store);

    void Write(IUpdateEncoder encoder, int offset);

    /// <summary>Wire content ref: 1 Deleted, 2 JSON, 3 Binary, 4 String, 5 Embed, 6 Format, 7 Type, 8 Any, 9 Doc.</summary>
    int Ref { get; }
}
