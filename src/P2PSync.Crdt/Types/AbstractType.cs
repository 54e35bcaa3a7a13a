using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// The base of every shared type (Yjs AbstractType). A type owns a linked list of items
/// (<see cref="Start"/>) for its list content and a key-to-last-item map (<see cref="Map"/>)
/// for its keyed content; which of the two a type uses defines what it is.
/// </summary>
/// <remarks>
/// A plain <see cref="AbstractType"/> (not a subclass) exists only as a placeholder for a root
/// type that an update mentions before the application asked for it with a concrete class;
/// <c>Doc</c> replaces it when that happens.
/// </remarks>
public partial class AbstractType
{
    /// <summary>The item that holds this type in its parent, or null for a root type (Yjs <c>_item</c>).</summary>
    internal Item? Item;

    /// <summary>Keyed content: the newest item for each key (Yjs <c>_map</c>). Insertion order is observable.</summary>
    internal Dictionary<string, Item> Map = new();

    /// <summary>The first item of the list content, deleted or not (Yjs <c>_start</c>).</summary>
    internal Item? Start;

    /// <summary>Number of countable, undeleted list units (Yjs <c>_length</c>).</summary>
    internal int InternalLength;

    /// <summary>Listeners of this type's own events (Yjs <c>_eH</c>).</summary>
    internal readonly EventListeners<YEvent, Transaction> EH = new();

    /// <summary>Listeners of the events of this type and all its descendants (Yjs <c>_dEH</c>).</summary>
    internal readonly EventListeners<IReadOnlyList<YEvent>, Transaction> DEH = new();

    /// <summary>
    /// Cached index positions, or null when this type does not use them (maps, XML, and any
    /// text once formatting has been integrated; see ContentFormat.Integrate).
    /// </summary>
    internal List<ArraySearchMarker>? SearchMarker;

    /// <summary>
    /// Set when formatting content was integrated into this type, so that the transaction
    /// cleans up redundant formats after remote changes. Only text types get formats from
    /// well-behaved peers, but a hostile update may put one anywhere, so it lives here.
    /// </summary>
    internal bool HasFormatting;

    /// <summary>Per-type clock for marker timestamps (Yjs uses a global counter; only the order within a type matters).</summary>
    private long searchMarkerClock;

    internal AbstractType()
    {
    }

    /// <summary>The document this type is part of, or null while it is not integrated yet.</summary>
    public Doc? Doc { get; internal set; }

    /// <summary>The type that contains this one, or null for a root type or a type not yet integrated.</summary>
    public AbstractType? Parent => Item?.Parent;

    /// <summary>The first undeleted item of the list content (Yjs <c>_first</c>).</summary>
    internal Item? First
    {
        get
        {
            var n = Start;
            while (n is not null && n.Deleted)
            {
                n = n.Right;
            }
            return n;
        }
    }

    /// <summary>Binds this type to <paramref name="y"/>; subclasses then apply content queued before integration.</summary>
    internal virtual void Integrate(Doc y, Item? item)
    {
        Doc = y;
        Item = item;
        Depth = item?.Parent is { } parent ? parent.Depth + 1 : 0;
    }

    /// <summary>
    /// How deeply shared types may nest below a root. Deleting, collecting and serialising a
    /// type recurse once per level, so without a bound a few bytes of hostile update (RLE can
    /// describe 100,000 nested arrays in 40 bytes) would overflow the stack and kill the process.
    /// Real documents (rich text, XML trees) stay far below this.
    /// </summary>
    internal const int MaxNestingDepth = 512;

    /// <summary>Nesting level once integrated: 0 for a root type, its parent's depth + 1 below.</summary>
    internal int Depth { get; private set; }

    /// <summary>An empty type of the same kind (and name), used when an item holding a type is copied.</summary>
    internal virtual AbstractType Copy() =>
        throw new InvalidOperationException("A placeholder type cannot be copied.");

    /// <summary>
    /// A deep copy of this type's content as a new type that is not part of any document;
    /// its content becomes readable once it is inserted somewhere.
    /// </summary>
    public virtual AbstractType Clone() =>
        throw new InvalidOperationException("A placeholder type cannot be cloned.");

    /// <summary>Writes the type ref (and, for named types, the name) of a ContentType.</summary>
    internal virtual void Write(IUpdateEncoder encoder)
    {
    }

    /// <summary>
    /// Creates this type's event for <paramref name="transaction"/> and calls its observers
    /// (<see cref="Transaction.FindChangedSubs"/> tells what changed).
    /// </summary>
    internal virtual void CallObserver(Transaction transaction)
    {
        if (!transaction.Local && SearchMarker is not null)
        {
            // Remote changes can move items under the markers; start over rather than fix them up.
            SearchMarker.Clear();
        }
    }

    /// <summary>
    /// This type's event for <paramref name="transaction"/> (Yjs creates it in <c>_callObserver</c>);
    /// <paramref name="subs"/> holds the changed keys; a null entry means the list content changed.
    /// </summary>
    internal virtual YEvent CreateEvent(Transaction transaction, HashSet<string?> subs) => new(this, transaction);

    /// <summary>
    /// Calls this type's own observers with its event now and records the change for the deep
    /// observers of this type and its ancestors (called after all types were observed). The
    /// event is only created if some observer can receive it.
    /// </summary>
    internal void CallTypeObservers(Transaction transaction)
    {
        YEvent? yEvent = null;
        if (EH.Count > 0 || HasDeepObserverInChain())
        {
            yEvent = CreateEventFor(transaction);
        }
        transaction.Doc.ObservedChanges.Add(new ObservedChange(this, yEvent));
        if (yEvent is not null)
        {
            EH.Call(yEvent, transaction);
        }
    }

    /// <summary>Creates this type's event for one of the types <paramref name="transaction"/> changed.</summary>
    internal YEvent CreateEventFor(Transaction transaction)
    {
        transaction.EventsCreated = true;
        return CreateEvent(transaction, transaction.FindChangedSubs(this) ?? throw new InvalidOperationException("The type did not change in this transaction."));
    }

    /// <summary>Whether this type or one of its ancestors has deep observers.</summary>
    private bool HasDeepObserverInChain()
    {
        for (var type = this; ; type = type.Item.Parent!)
        {
            if (type.DEH.Count > 0)
            {
                return true;
            }
            if (type.Item is null)
            {
                return false;
            }
        }
    }

    /// <summary>Calls <paramref name="f"/> with each event of this type, after the transaction that caused it.</summary>
    public void Observe(Action<YEvent, Transaction> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        EH.Add(f);
    }

    /// <summary>
    /// Calls <paramref name="f"/> once per transaction with all events of this type and its
    /// descendants, ordered by path length (closest first).
    /// </summary>
    public void ObserveDeep(Action<IReadOnlyList<YEvent>, Transaction> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        DEH.Add(f);
    }

    /// <summary>Removes an observer added with <see cref="Observe"/>; returns whether it was registered.</summary>
    public bool Unobserve(Action<YEvent, Transaction> f) => EH.Remove(f);

    /// <summary>Removes an observer added with <see cref="ObserveDeep"/>; returns whether it was registered.</summary>
    public bool UnobserveDeep(Action<IReadOnlyList<YEvent>, Transaction> f) => DEH.Remove(f);

    /// <summary>
    /// The content as lib0 "any" values shaped like yjs <c>toJSON()</c>
    /// (<c>List&lt;object?&gt;</c>, <c>Dictionary&lt;string, object?&gt;</c>, <c>string</c>, numbers, ...).
    /// A placeholder type has no JSON form and returns <see cref="Undefined.Value"/>.
    /// </summary>
    public virtual object? ToJson() => Undefined.Value;

    /// <summary>
    /// The JSON form of one stored element: nested types and subdocuments become their own
    /// JSON form (what <c>JSON.stringify</c> produces in yjs through their <c>toJSON</c>),
    /// plain values stay as they are.
    /// </summary>
    internal static object? ElementToJson(object? value) => value switch
    {
        AbstractType type => type.ToJson(),
        Doc subdoc => subdoc.ToJson(),
        _ => value,
    };

    /// <summary>
    /// Creates an item with the next id of the local client between <paramref name="left"/> and
    /// <paramref name="right"/> and integrates it; the common tail of every local insertion.
    /// </summary>
    internal static Item InsertItem(Transaction transaction, Item? left, Item? right, AbstractType parent, string? parentSub, IContent content)
    {
        var doc = transaction.Doc;
        ulong ownClientId = doc.ClientId;
        var item = new Item(
            new ID(ownClientId, StructStore.GetState(doc.Store, ownClientId)),
            left,
            left?.LastId,
            right,
            right?.Id,
            parent,
            parentSub,
            content);
        item.Integrate(transaction, 0);
        return item;
    }

    /// <summary>
    /// A type instance can live in one place only. Yjs does not check and corrupts the
    /// document when a type is inserted twice; we refuse before anything changes.
    /// </summary>
    /// <summary>
    /// Refuses, before anything changes, a child type that is already in a document or that
    /// would nest deeper than <see cref="MaxNestingDepth"/> (remote items that deep become GC).
    /// </summary>
    internal void EnsureCanHold(AbstractType type)
    {
        if (type.Doc is not null || type.Item is not null)
        {
            throw new ArgumentException("This shared type is already part of a document; insert a Clone() instead.", nameof(type));
        }
        if (Depth >= MaxNestingDepth)
        {
            throw new ArgumentException($"Shared types cannot nest more than {MaxNestingDepth} levels deep.", nameof(type));
        }
    }

    /// <summary>The next timestamp for a search marker of this type.</summary>
    private long NextMarkerTimestamp() => searchMarkerClock++;
}
