using System.Text;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// Shared rich text (Yjs Y.Text): a string with formatting attributes on ranges, embeds
/// (objects or shared types occupying one position), and attributes on the text as a whole.
/// Indexes and lengths count UTF-16 code units, like JavaScript strings.
/// </summary>
public partial class YText : AbstractType
{
    /// <summary>Operations requested before integration, replayed once the text is part of a doc.</summary>
    private List<Action>? pending;

    /// <summary>Creates a text that is not part of a document yet, optionally with initial content.</summary>
    public YText(string? initial = null)
    {
        pending = new List<Action>();
        if (initial is not null)
        {
            pending.Add(() => Insert(0, initial));
        }
        SearchMarker = new List<ArraySearchMarker>();
    }

    /// <summary>Number of UTF-16 units (embeds count one each).</summary>
    public int Length => InternalLength;

    internal override void Integrate(Doc y, Item? item)
    {
        base.Integrate(y, item);
        var queued = pending;
        pending = null;
        if (queued is null)
        {
            return;
        }
        try
        {
            foreach (var f in queued)
            {
                f();
            }
        }
        catch (Exception)
        {
            // Yjs logs and swallows these: integration runs inside Item.Integrate and must not be
            // aborted half way by an invalid operation that was queued on the detached text.
        }
    }

    internal override AbstractType Copy() => new YText();

    /// <inheritdoc />
    public override AbstractType Clone()
    {
        var text = new YText();
        text.ApplyDelta(CloneEmbeddedTypes(ToDelta()));
        return text;
    }

    /// <summary>
    /// The delta with embedded shared types replaced by clones, so a clone owns its embeds
    /// (Yjs reuses the instances, which fails when the clone is integrated).
    /// </summary>
    private protected static List<DeltaOp> CloneEmbeddedTypes(IReadOnlyList<DeltaOp> delta)
    {
        var result = new List<DeltaOp>(delta.Count);
        foreach (var op in delta)
        {
            result.Add(op.Insert is AbstractType type ? DeltaOp.InsertOp(type.Clone(), op.Attributes) : op);
        }
        return result;
    }

    internal override void CallObserver(Transaction transaction)
    {
        base.CallObserver(transaction);
        CallTypeObservers(transaction);
        if (!transaction.Local && HasFormatting)
        {
            // A remote change may have produced duplicate formats; clean up after the observers.
            transaction.NeedFormattingCleanup = true;
        }
    }

    internal override YEvent CreateEvent(Transaction transaction, HashSet<string?> subs) => new YTextEvent(this, transaction, subs);

    /// <summary>The plain text, without formatting and embeds.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(InternalLength);
        for (var n = Start; n is not null; n = n.Right)
        {
            if (!n.Deleted && n.Countable && n.Content is ContentString s)
            {
                sb.Append(s.Str);
            }
        }
        return sb.ToString();
    }

    /// <summary>The plain text (as yjs <c>toJSON</c>).</summary>
    public override object? ToJson() => ToString();

    /// <summary>
    /// Applies a Quill delta. With <paramref name="sanitize"/> false, a trailing newline of a final
    /// insert at the end of the text is dropped (Yjs's behaviour, where the flag's sense is inverted).
    /// </summary>
    public void ApplyDelta(IReadOnlyList<DeltaOp> delta, bool sanitize = true)
    {
        ArgumentNullException.ThrowIfNull(delta);
        delta = NormalizeDelta(delta);
        if (Doc is null)
        {
            pending!.Add(() => ApplyDelta(delta));
            return;
        }
        Transaction.Transact(Doc, transaction =>
        {
            var currPos = new ItemTextListPosition(null, Start, 0, new OrderedDictionary<string, object?>());
            for (int i = 0; i < delta.Count; i++)
            {
                var op = delta[i];
                if (op.Insert is not null)
                {
                    object ins = op.Insert;
                    if (!sanitize && ins is string s && i == delta.Count - 1 && currPos.Right is null && s.EndsWith('\n'))
                    {
                        ins = s[..^1];
                    }
                    if (ins is not string str || str.Length > 0)
                    {
                        InsertText(transaction, this, currPos, ins, op.Attributes ?? NoAttributes);
                    }
                }
                else if (op.Retain is { } retain)
                {
                    FormatText(transaction, this, currPos, retain, op.Attributes ?? NoAttributes);
                }
                else if (op.Delete is { } delete)
                {
                    DeleteText(transaction, currPos, delete);
                }
            }
        });
    }

    /// <summary>The content as a Quill delta: text runs with their attributes, embeds and shared types.</summary>
    public IReadOnlyList<DeltaOp> ToDelta() => ToDelta(null, null, null);

    /// <summary>
    /// The content as a delta as it was in <paramref name="snapshot"/>. With <paramref name="prevSnapshot"/>,
    /// text inserted or removed between the two snapshots is marked with a <c>ychange</c> attribute
    /// (<paramref name="computeYChange"/> builds its value from "added"/"removed" and the item id;
    /// by default <c>{ type: "added" | "removed" }</c>).
    /// </summary>
    public IReadOnlyList<DeltaOp> ToDelta(Snapshot? snapshot, Snapshot? prevSnapshot = null, Func<string, ID, object?>? computeYChange = null)
    {
        var computation = new ToDeltaComputation(this, snapshot, prevSnapshot, computeYChange);
        if (snapshot is not null || prevSnapshot is not null)
        {
            // Snapshot boundaries may fall inside items; split them in a transaction, after which
            // the items are merged again.
            Transaction.Transact(Doc!, transaction =>
            {
                if (snapshot is not null)
                {
                    Snapshot.SplitSnapshotAffectedStructs(transaction, snapshot);
                }
                if (prevSnapshot is not null)
                {
                    Snapshot.SplitSnapshotAffectedStructs(transaction, prevSnapshot);
                }
                computation.Run();
            }, "cleanup");
        }
        else
        {
            computation.Run();
        }
        return computation.Ops;
    }

    /// <summary>
    /// Inserts <paramref name="text"/> at <paramref name="index"/>. Without <paramref name="attributes"/>
    /// the text takes the formatting in effect at the index; with them (even empty) exactly those.
    /// </summary>
    public void Insert(int index, string text, IReadOnlyDictionary<string, object?>? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (text.Length == 0)
        {
            return;
        }
        attributes = NormalizeAttributes(attributes);
        // Typing is the hot path: join a running transaction directly. The lambdas live in
        // separate methods because C# allocates a method's closure on entry, used or not.
        if (Doc?.Transaction is { } running)
        {
            InsertInTransaction(running, index, text, attributes);
        }
        else
        {
            InsertInOwnTransaction(index, text, attributes);
        }
    }

    private void InsertInOwnTransaction(int index, string text, IReadOnlyDictionary<string, object?>? attributes)
    {
        if (Doc is null)
        {
            pending!.Add(() => Insert(index, text, attributes));
            return;
        }
        Transaction.Transact(Doc, transaction => InsertInTransaction(transaction, index, text, attributes));
    }

    private void InsertInTransaction(Transaction transaction, int index, string text, IReadOnlyDictionary<string, object?>? attributes)
    {
        var pos = FindPosition(transaction, this, index, attributes is null);
        var attrs = attributes ?? (!pos.HasCurrentAttributes
            ? NoAttributes
            : JsObjectOrder.ToObject(pos.CurrentAttributes, pos.CurrentAttributes.Count));
        InsertText(transaction, this, pos, text, attrs);
    }

    /// <summary>
    /// Inserts an embed (a JSON-like object) or a shared type at <paramref name="index"/>. It has
    /// length 1 and carries <paramref name="attributes"/> (none if null; embeds do not inherit).
    /// </summary>
    public void InsertEmbed(int index, object embed, IReadOnlyDictionary<string, object?>? attributes = null)
    {
        ArgumentNullException.ThrowIfNull(embed);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        embed = NormalizeEmbed(embed);
        attributes = NormalizeAttributes(attributes);
        if (Doc is null)
        {
            pending!.Add(() => InsertEmbed(index, embed, attributes ?? NoAttributes));
            return;
        }
        Transaction.Transact(Doc, transaction =>
        {
            var pos = FindPosition(transaction, this, index, attributes is null);
            InsertText(transaction, this, pos, embed, attributes ?? NoAttributes);
        });
    }

    /// <summary>Deletes <paramref name="length"/> units starting at <paramref name="index"/>.</summary>
    public void Delete(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
        {
            return;
        }
        if (Doc?.Transaction is { } running)
        {
            DeleteText(running, FindPosition(running, this, index, true), length);
        }
        else
        {
            DeleteInOwnTransaction(index, length);
        }
    }

    private void DeleteInOwnTransaction(int index, int length)
    {
        if (Doc is null)
        {
            pending!.Add(() => Delete(index, length));
            return;
        }
        Transaction.Transact(Doc, transaction => DeleteText(transaction, FindPosition(transaction, this, index, true), length));
    }

    /// <summary>
    /// Sets <paramref name="attributes"/> on <paramref name="length"/> units from <paramref name="index"/>;
    /// a null value removes that attribute.
    /// </summary>
    public void Format(int index, int length, IReadOnlyDictionary<string, object?> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0)
        {
            return;
        }
        var normalized = NormalizeAttributes(attributes)!;
        if (Doc is null)
        {
            pending!.Add(() => Format(index, length, normalized));
            return;
        }
        Transaction.Transact(Doc, transaction =>
        {
            var pos = FindPosition(transaction, this, index, false);
            if (pos.Right is null)
            {
                return;
            }
            FormatText(transaction, this, pos, length, normalized);
        });
    }

    /// <summary>Removes an attribute of the text as a whole.</summary>
    public void RemoveAttribute(string attributeName)
    {
        ArgumentNullException.ThrowIfNull(attributeName);
        if (Doc is null)
        {
            pending!.Add(() => RemoveAttribute(attributeName));
            return;
        }
        Transaction.Transact(Doc, transaction => TypeMapDelete(transaction, attributeName));
    }

    /// <summary>Sets an attribute of the text as a whole (not of a range).</summary>
    public void SetAttribute(string attributeName, object? attributeValue)
    {
        ArgumentNullException.ThrowIfNull(attributeName);
        if (Doc is null)
        {
            pending!.Add(() => SetAttribute(attributeName, attributeValue));
            return;
        }
        Transaction.Transact(Doc, transaction => TypeMapSet(transaction, attributeName, attributeValue));
    }

    /// <summary>An attribute of the text as a whole, or <see cref="Undefined.Value"/> if it is not set.</summary>
    public object? GetAttribute(string attributeName) => TypeMapGet(attributeName);

    /// <summary>All attributes of the text as a whole.</summary>
    public Dictionary<string, object?> GetAttributes() => TypeMapGetAll();

    internal override void Write(IUpdateEncoder encoder) => encoder.WriteTypeRef(TypeRefs.YText);

    /// <summary>
    /// Attribute values in canonical lib0 form, checked to be encodable before anything changes
    /// (a value that cannot be encoded would make every later update of the doc fail).
    /// </summary>
    private static IReadOnlyDictionary<string, object?>? NormalizeAttributes(IReadOnlyDictionary<string, object?>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return attributes;
        }
        return (IReadOnlyDictionary<string, object?>)AnyValues.Normalize(attributes)!;
    }

    /// <summary>Text and shared types stay as they are; any other embed is stored in canonical lib0 form.</summary>
    private static object NormalizeEmbed(object embed) =>
        embed is string or AbstractType ? embed : AnyValues.Normalize(embed) ?? throw new ArgumentNullException(nameof(embed));

    private static List<DeltaOp> NormalizeDelta(IReadOnlyList<DeltaOp> delta)
    {
        var result = new List<DeltaOp>(delta.Count);
        foreach (var op in delta)
        {
            ArgumentNullException.ThrowIfNull(op, nameof(delta));
            if (op.Insert is not null)
            {
                result.Add(DeltaOp.InsertOp(NormalizeEmbed(op.Insert), NormalizeAttributes(op.Attributes)));
            }
            else if (op.Retain is { } retain)
            {
                result.Add(DeltaOp.RetainOp(retain, NormalizeAttributes(op.Attributes)));
            }
            else
            {
                result.Add(op);
            }
        }
        return result;
    }

    /// <summary>An immutable empty attribute set (the algorithms never modify the attributes they get).</summary>
    private static IReadOnlyDictionary<string, object?> NoAttributes => System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
}
