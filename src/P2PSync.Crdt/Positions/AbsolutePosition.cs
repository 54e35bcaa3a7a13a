using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Positions;

/// <summary>
/// A <see cref="RelativePosition"/> resolved against the current state of a doc: the type it is
/// in and the index it denotes now (Yjs <c>AbsolutePosition</c>).
/// </summary>
public sealed class AbsolutePosition
{
    /// <summary>Creates a resolved position.</summary>
    /// <param name="type">The type the position is in.</param>
    /// <param name="index">The index in <paramref name="type"/>, counting countable units.</param>
    /// <param name="assoc">The association carried over from the relative position.</param>
    public AbsolutePosition(AbstractType type, int index, int assoc = 0)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
        Index = index;
        Assoc = assoc;
    }

    /// <summary>The type the position is in.</summary>
    public AbstractType Type { get; }

    /// <summary>The index in <see cref="Type"/>.</summary>
    public int Index { get; }

    /// <summary>&gt;= 0: the position sticks to the unit after it; &lt; 0: to the unit before it.</summary>
    public int Assoc { get; }

    /// <inheritdoc />
    public override string ToString() => $"AbsolutePosition(index: {Index}, assoc: {Assoc})";
}
