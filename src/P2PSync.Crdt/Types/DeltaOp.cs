using System.Text;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// One operation of a Quill-style delta, as produced by <see cref="YText.ToDelta"/>,
/// <see cref="YEvent.Delta"/> and consumed by <see cref="YText.ApplyDelta"/>.
/// Exactly one of <see cref="Insert"/>, <see cref="Delete"/> and <see cref="Retain"/> is set.
/// </summary>
/// <remarks>
/// <see cref="Insert"/> is a <c>string</c> (text), an embed (<c>IReadOnlyDictionary&lt;string, object?&gt;</c>),
/// an <see cref="AbstractType"/> (text embeds a shared type), or, in array and XML
/// events, an <c>IReadOnlyList&lt;object?&gt;</c> of the inserted elements.
/// Equality is structural (deep over lib0 "any" values, by reference for shared types),
/// so expected and actual deltas can be compared directly.
/// </remarks>
public sealed class DeltaOp : IEquatable<DeltaOp>
{
    private DeltaOp(object? insert, int? delete, int? retain, IReadOnlyDictionary<string, object?>? attributes)
    {
        Insert = insert;
        Delete = delete;
        Retain = retain;
        Attributes = attributes;
    }

    /// <summary>The inserted content, or null if this is not an insert.</summary>
    public object? Insert { get; }

    /// <summary>Number of deleted units, or null if this is not a delete.</summary>
    public int? Delete { get; }

    /// <summary>Number of retained units, or null if this is not a retain.</summary>
    public int? Retain { get; }

    /// <summary>Formatting attributes of an insert or retain; null when the op carries none.</summary>
    public IReadOnlyDictionary<string, object?>? Attributes { get; }

    public bool IsInsert => Insert is not null;

    public bool IsDelete => Delete is not null;

    public bool IsRetain => Retain is not null;

    /// <summary>An insert of text, an embed, a shared type or a list of array elements.</summary>
    public static DeltaOp InsertOp(object insert, IReadOnlyDictionary<string, object?>? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(insert);
        return new DeltaOp(insert, null, null, attributes);
    }

    public static DeltaOp DeleteOp(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new DeltaOp(null, length, null, null);
    }

    public static DeltaOp RetainOp(int length, IReadOnlyDictionary<string, object?>? attributes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new DeltaOp(null, null, length, attributes);
    }

    public bool Equals(DeltaOp? other)
    {
        if (other is null)
        {
            return false;
        }
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        return Delete == other.Delete
            && Retain == other.Retain
            && Lib0Any.DeepEquals(Insert, other.Insert)
            && Lib0Any.DeepEquals(Attributes, other.Attributes);
    }

    public override bool Equals(object? obj) => Equals(obj as DeltaOp);

    public override int GetHashCode() => HashCode.Combine(Delete, Retain, Insert as string);

    /// <summary>A JSON-like rendering, mainly for test failure messages.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        if (Insert is not null)
        {
            sb.Append("insert:");
            DeltaDebugText.AppendDebug(sb, Insert);
        }
        else if (Delete is not null)
        {
            sb.Append("delete:").Append(Delete.Value);
        }
        else
        {
            sb.Append("retain:").Append(Retain);
        }
        if (Attributes is not null)
        {
            sb.Append(",attributes:");
            DeltaDebugText.AppendDebug(sb, Attributes);
        }
        return sb.Append('}').ToString();
    }
}
