using System.Runtime.InteropServices;
using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// One run of content inserted by one client: the node of the YATA list that every shared type is
/// built from. Origins are the neighbours at insertion time (they decide conflicts); Left/Right are
/// the current neighbours.
/// </summary>
internal sealed class Item : AbstractStruct
{
    private const byte KeepBit = 1;
    private const byte CountableBit = 2;
    private const byte DeletedBit = 4;
    private const byte MarkerBit = 8;

    // Presence bits for the optional ids. Storing an optional id as client + clock plus a bit saves
    // the padding and flag of a Nullable<ID> (8 bytes each); a doc can hold millions of items.
    private const byte HasOriginBit = 1;
    private const byte HasRightOriginBit = 2;
    private const byte HasRedoneBit = 4;

    private ulong _originClient;
    private ulong _rightOriginClient;
    private int _originClock;
    private int _rightOriginClock;
    private byte _idBits;

    // Rarely set data shares one field. Before integration it may hold the parent known only by
    // reference: a root key (string) or the id of the item holding the parent type (boxed ID).
    // After integration it may hold the redone id (boxed ID, flagged by HasRedoneBit).
    private object? _rare;

    public Item(ID id, Item? left, ID? origin, Item? right, ID? rightOrigin, AbstractType? parent, string? parentSub, IContent content)
        : base(id, content.Length)
    {
        Origin = origin;
        Left = left;
        Right = right;
        RightOrigin = rightOrigin;
        Parent = parent;
        ParentSub = parentSub;
        Content = content;
        Info = content.Countable ? CountableBit : (byte)0;
    }

    /// <summary>The id of the item that was left of this one when it was inserted.</summary>
    public ID? Origin
    {
        get => (_idBits & HasOriginBit) != 0 ? new ID(_originClient, _originClock) : null;
        set
        {
            if (value is { } v)
            {
                _originClient = v.Client;
                _originClock = v.Clock;
                _idBits |= HasOriginBit;
            }
            else
            {
                _idBits &= unchecked((byte)~HasOriginBit);
            }
        }
    }

    /// <summary>The id of the item that was right of this one when it was inserted.</summary>
    public ID? RightOrigin
    {
        get => (_idBits & HasRightOriginBit) != 0 ? new ID(_rightOriginClient, _rightOriginClock) : null;
        set
        {
            if (value is { } v)
            {
                _rightOriginClient = v.Client;
                _rightOriginClock = v.Clock;
                _idBits |= HasRightOriginBit;
            }
            else
            {
                _idBits &= unchecked((byte)~HasRightOriginBit);
            }
        }
    }

    /// <summary>If an undo manager re-inserted this item's content, the id of the copy.</summary>
    public ID? Redone
    {
        get => (_idBits & HasRedoneBit) != 0 ? (ID)_rare! : null;
        set
        {
            if (value is { } v)
            {
                _rare = v;
                _idBits |= HasRedoneBit;
            }
            else if ((_idBits & HasRedoneBit) != 0)
            {
                _rare = null;
                _idBits &= unchecked((byte)~HasRedoneBit);
            }
        }
    }

    public bool HasOrigin => (_idBits & HasOriginBit) != 0;

    public bool HasRightOrigin => (_idBits & HasRightOriginBit) != 0;

    public bool HasRedone => (_idBits & HasRedoneBit) != 0;

    /// <summary>The item currently to the left (null at the start of the list).</summary>
    public Item? Left { get; set; }

    /// <summary>The item currently to the right (null at the end of the list).</summary>
    public Item? Right { get; set; }

    /// <summary>The type this item belongs to; null only before integration or when it must become a GC.</summary>
    public AbstractType? Parent { get; set; }

    /// <summary>Map key when the parent holds this item under a key; null for list content.</summary>
    public string? ParentSub { get; set; }

    public IContent Content { get; set; }

    /// <summary>Flag byte as in Yjs: bit1 keep, bit2 countable, bit3 deleted, bit4 search marker.</summary>
    public byte Info { get; set; }

    /// <summary>Unresolved parent given as the id of the item whose content is the parent type.</summary>
    public ID? ParentId
    {
        get => (_idBits & HasRedoneBit) == 0 && _rare is ID id ? id : null;
        set => SetUnresolvedParent(value is { } v ? v : null);
    }

    /// <summary>Unresolved parent given as a root-level key of the doc's share.</summary>
    public string? ParentYKey
    {
        get => _rare as string;
        set => SetUnresolvedParent(value);
    }

    private object? UnresolvedParent => (_idBits & HasRedoneBit) == 0 ? _rare : null;

    private void SetUnresolvedParent(object? value)
    {
        if ((_idBits & HasRedoneBit) != 0)
        {
            throw new InvalidOperationException("An item that was redone is integrated and has a resolved parent.");
        }
        _rare = value;
    }

    /// <summary>Whether this item is the target of an array search marker.</summary>
    public bool Marker
    {
        get => (Info & MarkerBit) != 0;
        set => Info = value ? (byte)(Info | MarkerBit) : (byte)(Info & ~MarkerBit);
    }

    /// <summary>If true, this item is never garbage collected (undo manager, snapshots).</summary>
    public bool Keep
    {
        get => (Info & KeepBit) != 0;
        set => Info = value ? (byte)(Info | KeepBit) : (byte)(Info & ~KeepBit);
    }

    public bool Countable => (Info & CountableBit) != 0;

    public override bool Deleted => (Info & DeletedBit) != 0;

    public void MarkDeleted() => Info |= DeletedBit;

    /// <summary>The id of the last clock tick this item covers.</summary>
    public ID LastId => Length == 1 ? Id : new ID(Id.Client, Id.Clock + Length - 1);

    /// <summary>The next non-deleted item to the right.</summary>
    public Item? Next
    {
        get
        {
            var n = Right;
            while (n is { Deleted: true })
            {
                n = n.Right;
            }
            return n;
        }
    }

    /// <summary>The previous non-deleted item to the left.</summary>
    public Item? Prev
    {
        get
        {
            var n = Left;
            while (n is { Deleted: true })
            {
                n = n.Left;
            }
            return n;
        }
    }

    /// <summary>
    /// Follows the chain of redone copies starting at <paramref name="id"/>. Returns the struct at the
    /// end of the chain (possibly a GC) and the offset of the position inside it.
    /// </summary>
    public static (AbstractStruct Item, int Diff) FollowRedone(StructStore store, ID id)
    {
        ID? nextId = id;
        var diff = 0;
        AbstractStruct item;
        do
        {
            var current = nextId.Value;
            if (diff > 0)
            {
                current = new ID(current.Client, current.Clock + diff);
            }
            item = StructStore.Find(store, current);
            diff = current.Clock - item.Id.Clock;
            nextId = item is Item it ? it.Redone : null;
        }
        while (nextId is not null);
        return (item, diff);
    }

    /// <summary>Marks <paramref name="item"/> and all its ancestors as kept (or not), so GC leaves them alone.</summary>
    public static void KeepItem(Item? item, bool keep)
    {
        while (item is not null && item.Keep != keep)
        {
            item.Keep = keep;
            item = item.Parent?.Item;
        }
    }

    /// <summary>
    /// Splits <paramref name="leftItem"/> so that it keeps its first <paramref name="diff"/> ticks and
    /// returns a new item with the rest, linked right after it. The caller inserts the new item into the store.
    /// </summary>
    public static Item SplitItem(Transaction transaction, Item leftItem, int diff)
    {
        var client = leftItem.Id.Client;
        var clock = leftItem.Id.Clock;
        var rightItem = new Item(
            new ID(client, clock + diff),
            leftItem,
            new ID(client, clock + diff - 1),
            leftItem.Right,
            leftItem.RightOrigin,
            leftItem.Parent,
            leftItem.ParentSub,
            leftItem.Content.Splice(diff));
        if (leftItem.Deleted)
        {
            rightItem.MarkDeleted();
        }
        if (leftItem.Keep)
        {
            rightItem.Keep = true;
        }
        if (leftItem.Redone is { } redone)
        {
            rightItem.Redone = new ID(redone.Client, redone.Clock + diff);
        }
        // The left half keeps its rightOrigin: changing it would make peers resolve conflicts differently.
        leftItem.Right = rightItem;
        if (rightItem.Right is not null)
        {
            rightItem.Right.Left = rightItem;
        }
        transaction.MergeStructs.Add(rightItem);
        if (rightItem.ParentSub is not null && rightItem.Right is null)
        {
            rightItem.Parent!.Map[rightItem.ParentSub] = rightItem;
        }
        leftItem.Length = diff;
        return rightItem;
    }

    public override ulong? GetMissing(Transaction transaction, StructStore store)
    {
        if ((_idBits & HasOriginBit) != 0 && _originClient != Id.Client && _originClock >= StructStore.GetState(store, _originClient))
        {
            return _originClient;
        }
        if ((_idBits & HasRightOriginBit) != 0 && _rightOriginClient != Id.Client && _rightOriginClock >= StructStore.GetState(store, _rightOriginClient))
        {
            return _rightOriginClient;
        }
        if (UnresolvedParent is ID parentId && parentId.Client != Id.Client && parentId.Clock >= StructStore.GetState(store, parentId.Client))
        {
            return parentId.Client;
        }

        // Every referenced struct exists now; bind the neighbours and the parent.
        AbstractStruct? leftStruct = null;
        AbstractStruct? rightStruct = null;
        if ((_idBits & HasOriginBit) != 0)
        {
            leftStruct = StructStore.GetStructCleanEnd(transaction, store, new ID(_originClient, _originClock));
            if (leftStruct is Item left)
            {
                Left = left;
                Origin = left.LastId;
            }
        }
        if ((_idBits & HasRightOriginBit) != 0)
        {
            rightStruct = StructStore.GetStructCleanStart(transaction, new ID(_rightOriginClient, _rightOriginClock));
            if (rightStruct is Item right)
            {
                Right = right;
                RightOrigin = right.Id;
            }
        }
        if (leftStruct is GC || rightStruct is GC)
        {
            // A neighbour was garbage collected, so the parent is gone too: this item becomes a GC.
            Parent = null;
            if (UnresolvedParent is not null)
            {
                _rare = null;
            }
        }
        else if (Parent is null && UnresolvedParent is null)
        {
            if (Left is not null)
            {
                Parent = Left.Parent;
                ParentSub = Left.ParentSub;
            }
            else if (Right is not null)
            {
                Parent = Right.Parent;
                ParentSub = Right.ParentSub;
            }
        }
        else if (UnresolvedParent is ID pid)
        {
            _rare = null;
            // A parent that is not a live type (GC'd, or content of another kind) turns this item into a GC.
            Parent = StructStore.Find(store, pid) is Item { Content: ContentType contentType } ? contentType.Type : null;
        }
        return null;
    }

    public override void Integrate(Transaction transaction, int offset)
    {
        var store = transaction.Doc.Store;
        if (offset > 0)
        {
            Id = new ID(Id.Client, Id.Clock + offset);
            var leftStruct = StructStore.GetStructCleanEnd(transaction, store, new ID(Id.Client, Id.Clock - 1));
            Origin = new ID(Id.Client, Id.Clock - 1);
            Content = Content.Splice(offset);
            Length -= offset;
            if (leftStruct is Item left)
            {
                Left = left;
            }
            else
            {
                // The part of this item we already had was garbage collected, so the parent may be gone too.
                Left = null;
                Parent = null;
            }
        }

        var parent = Parent;
        if (parent is null || (Content is ContentType && parent.Depth >= AbstractType.MaxNestingDepth))
        {
            // Unknown parent, or a type nested deeper than we allow (local inserts are refused
            // earlier, so only hostile remote input gets here): keep only the fact that these
            // clock ticks exist. Items inside it then find a GC'd parent and become GC too.
            new GC(Id, Length).Integrate(transaction, 0);
            return;
        }

        if ((Left is null && (Right is null || Right.Left is not null)) || (Left is not null && Left.Right != Right))
        {
            ResolveConflicts(store, parent);
        }

        // Link into the list and update the parent's start or map entry.
        if (Left is not null)
        {
            Right = Left.Right;
            Left.Right = this;
        }
        else
        {
            Item? r;
            if (ParentSub is not null)
            {
                r = parent.Map.TryGetValue(ParentSub, out var last) ? last : null;
                while (r?.Left is not null)
                {
                    r = r.Left;
                }
            }
            else
            {
                r = parent.Start;
                parent.Start = this;
            }
            Right = r;
        }
        if (Right is not null)
        {
            Right.Left = this;
        }
        else if (ParentSub is not null)
        {
            // The last item under a key is the key's current value; the previous value is overwritten.
            parent.Map[ParentSub] = this;
            Left?.Delete(transaction);
        }
        if (ParentSub is null && Countable && !Deleted)
        {
            parent.InternalLength += Length;
        }
        Transaction.NoteStructAdded(transaction.Doc, Id.Client, Id.Clock);
        StructStore.AddStruct(store, this);
        Content.Integrate(transaction, this);
        Transaction.AddChangedTypeToTransaction(transaction, parent, ParentSub);
        if ((parent.Item is not null && parent.Item.Deleted) || (ParentSub is not null && Right is not null))
        {
            // Content of a deleted type, or a map value that a concurrent later write already replaced.
            Delete(transaction);
        }
    }

    /// <summary>
    /// The YATA conflict loop: among the items between Left and Right that were inserted concurrently
    /// at the same place, find the one this item must follow. Sets <see cref="Left"/>.
    /// </summary>
    private void ResolveConflicts(StructStore store, AbstractType parent)
    {
        var left = Left;
        Item? o;
        if (left is not null)
        {
            o = left.Right;
        }
        else if (ParentSub is not null)
        {
            o = parent.Map.TryGetValue(ParentSub, out var last) ? last : null;
            while (o?.Left is not null)
            {
                o = o.Left;
            }
        }
        else
        {
            o = parent.Start;
        }

        if (o is not null && o != Right)
        {
            // conflictingItems is a subset of itemsBeforeOrigin: ***{origin}bbbb{this}{c,b}{c,b}{o}***
            var conflictingItems = store.ScratchConflictingItems;
            var itemsBeforeOrigin = store.ScratchItemsBeforeOrigin;
            conflictingItems.Clear();
            itemsBeforeOrigin.Clear();
            try
            {
                var hasOrigin = HasOrigin;
                var hasRightOrigin = HasRightOrigin;
                while (o is not null && o != Right)
                {
                    itemsBeforeOrigin.Add(o);
                    conflictingItems.Add(o);
                    if (SameId(hasOrigin, _originClient, _originClock, o.HasOrigin, o._originClient, o._originClock))
                    {
                        // Case 1: same left origin; the lower client id goes first.
                        if (o.Id.Client < Id.Client)
                        {
                            left = o;
                            conflictingItems.Clear();
                        }
                        else if (SameId(hasRightOrigin, _rightOriginClient, _rightOriginClock, o.HasRightOrigin, o._rightOriginClient, o._rightOriginClock))
                        {
                            // Same integration points on both sides and this has the lower id: it goes before o.
                            break;
                        }
                    }
                    else if (o.HasOrigin && OriginItem(store, o) is { } oOrigin && itemsBeforeOrigin.Contains(oOrigin))
                    {
                        // Case 2: o's origin lies inside the conflict zone.
                        if (!conflictingItems.Contains(oOrigin))
                        {
                            left = o;
                            conflictingItems.Clear();
                        }
                    }
                    else
                    {
                        break;
                    }
                    o = o.Right;
                }
            }
            finally
            {
                conflictingItems.Clear();
                itemsBeforeOrigin.Clear();
            }
        }
        Left = left;
    }

    // Looks up without splitting; a GC can never be in the conflict sets, so mapping it to null is safe.
    private static Item? OriginItem(StructStore store, Item o) =>
        StructStore.Find(store, new ID(o._originClient, o._originClock)) as Item;

    private static bool SameId(bool hasA, ulong clientA, int clockA, bool hasB, ulong clientB, int clockB) =>
        hasA ? hasB && clientA == clientB && clockA == clockB : !hasB;

    public override bool MergeWith(AbstractStruct right)
    {
        if (right is not Item r
            || !r.HasOrigin
            || r._originClient != Id.Client
            || r._originClock != Id.Clock + Length - 1
            || Right != r
            || !SameId(HasRightOrigin, _rightOriginClient, _rightOriginClock, r.HasRightOrigin, r._rightOriginClient, r._rightOriginClock)
            || Id.Client != r.Id.Client
            || Id.Clock + Length != r.Id.Clock
            || Deleted != r.Deleted
            || HasRedone
            || r.HasRedone
            || Content.GetType() != r.Content.GetType()
            || !Content.MergeWith(r.Content))
        {
            return false;
        }
        var searchMarker = Parent?.SearchMarker;
        if (searchMarker is not null)
        {
            foreach (var marker in CollectionsMarshal.AsSpan(searchMarker))
            {
                if (marker.P == r)
                {
                    // r disappears, so its marker moves to the start of the merged item.
                    marker.P = this;
                    if (!Deleted && Countable)
                    {
                        marker.Index -= Length;
                    }
                }
            }
        }
        if (r.Keep)
        {
            Keep = true;
        }
        Right = r.Right;
        if (Right is not null)
        {
            Right.Left = this;
        }
        Length += r.Length;
        return true;
    }

    /// <summary>Marks this item deleted and records that in the transaction.</summary>
    public void Delete(Transaction transaction)
    {
        if (Deleted)
        {
            return;
        }
        var parent = Parent!;
        if (Countable && ParentSub is null)
        {
            parent.InternalLength -= Length;
        }
        MarkDeleted();
        DeleteSet.AddToDeleteSet(transaction.DeleteSet, Id.Client, Id.Clock, Length);
        Transaction.AddChangedTypeToTransaction(transaction, parent, ParentSub);
        Content.Delete(transaction);
    }

    /// <summary>
    /// Drops the content of this deleted item. If its parent is being collected as well the whole
    /// item is replaced by a GC struct; otherwise it stays in the list with a deleted placeholder.
    /// </summary>
    public void Gc(StructStore store, bool parentGCd)
    {
        if (!Deleted)
        {
            throw new InvalidOperationException("Only deleted items can be garbage collected.");
        }
        Content.Gc(store);
        if (parentGCd)
        {
            StructStore.ReplaceStruct(store, this, new GC(Id, Length));
        }
        else
        {
            Content = new ContentDeleted(Length);
        }
    }

    /// <summary>
    /// Reads the rest of an item whose <paramref name="info"/> byte was already read. The parent
    /// stays unresolved: a root key in <see cref="ParentYKey"/> or an item id in <see cref="ParentId"/>.
    /// </summary>
    public static Item Read(IUpdateDecoder decoder, byte info, ID id)
    {
        ID? origin = (info & ItemInfo.HasOrigin) != 0 ? decoder.ReadLeftId() : null;
        ID? rightOrigin = (info & ItemInfo.HasRightOrigin) != 0 ? decoder.ReadRightId() : null;
        // Without origins the parent is on the wire: a root key or the id of the item holding the parent type.
        var cantCopyParentInfo = (info & (ItemInfo.HasOrigin | ItemInfo.HasRightOrigin)) == 0;
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
        var parentSub = cantCopyParentInfo && (info & ItemInfo.HasParentSub) != 0 ? decoder.ReadString() : null;
        var content = ContentReader.Read(decoder, info & ItemInfo.ContentRefMask);
        var item = new Item(id, null, origin, null, rightOrigin, null, parentSub, content);
        if (parentYKey is not null)
        {
            item.ParentYKey = parentYKey;
        }
        else if (parentId is { } pid)
        {
            item.ParentId = pid;
        }
        return item;
    }

    public override void Write(IUpdateEncoder encoder, int offset)
    {
        var hasOrigin = offset > 0 || HasOrigin;
        var hasRightOrigin = HasRightOrigin;
        var parentSub = ParentSub;
        var info = (Content.Ref & ItemInfo.ContentRefMask)
            | (hasOrigin ? ItemInfo.HasOrigin : 0)
            | (hasRightOrigin ? ItemInfo.HasRightOrigin : 0)
            | (parentSub is null ? 0 : ItemInfo.HasParentSub);
        encoder.WriteInfo((byte)info);
        if (hasOrigin)
        {
            encoder.WriteLeftId(offset > 0 ? new ID(Id.Client, Id.Clock + offset - 1) : new ID(_originClient, _originClock));
        }
        if (hasRightOrigin)
        {
            encoder.WriteRightId(new ID(_rightOriginClient, _rightOriginClock));
        }
        if (!hasOrigin && !hasRightOrigin)
        {
            WriteParent(encoder);
            if (parentSub is not null)
            {
                encoder.WriteString(parentSub);
            }
        }
        Content.Write(encoder, offset);
    }

    private void WriteParent(IUpdateEncoder encoder)
    {
        if (Parent is { } parent)
        {
            if (parent.Item is { } parentItem)
            {
                encoder.WriteParentInfo(false);
                encoder.WriteLeftId(parentItem.Id);
            }
            else
            {
                encoder.WriteParentInfo(true);
                encoder.WriteString(Doc.FindRootTypeKey(parent));
            }
        }
        else if (UnresolvedParent is string key)
        {
            encoder.WriteParentInfo(true);
            encoder.WriteString(key);
        }
        else if (UnresolvedParent is ID parentId)
        {
            encoder.WriteParentInfo(false);
            encoder.WriteLeftId(parentId);
        }
        else
        {
            throw new InvalidOperationException("An item without origins must know its parent to be written.");
        }
    }
}
