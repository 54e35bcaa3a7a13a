using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// Describes the changes a transaction made to one shared type (Yjs YEvent). The computed
/// properties (<see cref="Keys"/>, <see cref="Delta"/>, <see cref="Changes"/>) are only valid
/// while the observers of that transaction run; keep their results rather than the event.
/// </summary>
public class YEvent
{
    private const string ErrorComputeChanges = "You must not compute changes after the event-handler fired.";

    private AbstractType currentTarget;
    private List<object>? path;
    private protected YEventChanges? ChangesCache;
    private protected IReadOnlyDictionary<string, KeyChange>? KeysCache;

    internal YEvent(AbstractType target, Transaction transaction)
    {
        Target = target;
        currentTarget = target;
        Transaction = transaction;
    }

    /// <summary>The type that changed.</summary>
    public AbstractType Target { get; }

    /// <summary>
    /// The type whose observer is being called: the target for <c>Observe</c>, the observed
    /// ancestor for <c>ObserveDeep</c>. <see cref="Path"/> is relative to it.
    /// </summary>
    public AbstractType CurrentTarget
    {
        get => currentTarget;
        internal set
        {
            currentTarget = value;
            // The path is relative to the current target, so it must be recomputed.
            path = null;
        }
    }

    public Transaction Transaction { get; }

    /// <summary>
    /// Keys (strings) and indexes (ints) that lead from <see cref="CurrentTarget"/> to <see cref="Target"/>.
    /// </summary>
    public IReadOnlyList<object> Path => path ??= GetPathTo(CurrentTarget, Target);

    /// <summary>Changed keys with their action and previous value.</summary>
    public IReadOnlyDictionary<string, KeyChange> Keys => KeysCache ??= ComputeKeys();

    /// <summary>The change of the list content as a delta.</summary>
    public virtual IReadOnlyList<DeltaOp> Delta => Changes.Delta;

    public virtual YEventChanges Changes => ChangesCache ??= ComputeChanges();

    /// <summary>Whether the transaction deleted <paramref name="s"/> (also true for items it added and then deleted).</summary>
    internal bool Deletes(AbstractStruct s) => DeleteSet.IsDeleted(Transaction.DeleteSet, s.Id);

    /// <summary>Whether the transaction created <paramref name="s"/> (also true if it deleted it again).</summary>
    internal bool Adds(AbstractStruct s) =>
        s.Id.Clock >= Transaction.GetBeforeClock(s.Id.Client);

    private protected void EnsureDuringObserverCalls()
    {
        if (Transaction.Doc.TransactionCleanups.Count == 0)
        {
            throw new InvalidOperationException(ErrorComputeChanges);
        }
    }

    private protected HashSet<string?>? ChangedSubs() => Transaction.FindChangedSubs(Target);

    private Dictionary<string, KeyChange> ComputeKeys()
    {
        EnsureDuringObserverCalls();
        var keys = new Dictionary<string, KeyChange>();
        var changed = ChangedSubs();
        if (changed is null)
        {
            return keys;
        }
        foreach (var key in changed)
        {
            if (key is null || !Target.Map.TryGetValue(key, out var item))
            {
                continue;
            }
            KeyChangeAction action;
            object? oldValue;
            if (Adds(item))
            {
                var prev = item.Left;
                while (prev is not null && Adds(prev))
                {
                    prev = prev.Left;
                }
                if (Deletes(item))
                {
                    if (prev is not null && Deletes(prev))
                    {
                        action = KeyChangeAction.Delete;
                        oldValue = LastOf(prev);
                    }
                    else
                    {
                        continue;
                    }
                }
                else if (prev is not null && Deletes(prev))
                {
                    action = KeyChangeAction.Update;
                    oldValue = LastOf(prev);
                }
                else
                {
                    action = KeyChangeAction.Add;
                    oldValue = Undefined.Value;
                }
            }
            else if (Deletes(item))
            {
                action = KeyChangeAction.Delete;
                oldValue = LastOf(item);
            }
            else
            {
                continue;
            }
            keys[key] = new KeyChange(action, oldValue);
        }
        return keys;
    }

    /// <summary>Last element of an item's content (JS <c>array.last</c>: undefined when empty).</summary>
    private static object? LastOf(Item item)
    {
        var c = item.Content.GetContent();
        return c.Count > 0 ? c[c.Count - 1] : Undefined.Value;
    }

    private YEventChanges ComputeChanges()
    {
        EnsureDuringObserverCalls();
        var added = new HashSet<Item>();
        var deleted = new HashSet<Item>();
        var delta = new List<DeltaOp>();
        var changed = ChangedSubs();
        if (changed is not null && changed.Contains(null))
        {
            var builder = new ListDeltaBuilder(delta);
            for (var item = Target.Start; item is not null; item = item.Right)
            {
                if (item.Deleted)
                {
                    if (Deletes(item) && !Adds(item))
                    {
                        builder.Delete(item.Length);
                        deleted.Add(item);
                    }
                }
                else if (Adds(item))
                {
                    builder.Insert(item.Content.GetContent());
                    added.Add(item);
                }
                else
                {
                    builder.Retain(item.Length);
                }
            }
            builder.Finish();
        }
        return new YEventChanges(added, deleted, Keys, delta);
    }

    /// <summary>Keys and indexes from <paramref name="parent"/> down to <paramref name="child"/>.</summary>
    private static List<object> GetPathTo(AbstractType parent, AbstractType child)
    {
        var path = new List<object>();
        while (child.Item is not null && child != parent)
        {
            var childItem = child.Item;
            var childParent = childItem.Parent!;
            if (childItem.ParentSub is not null)
            {
                path.Add(childItem.ParentSub);
            }
            else
            {
                int i = 0;
                var c = childParent.Start;
                while (c != childItem && c is not null)
                {
                    if (!c.Deleted && c.Countable)
                    {
                        i += c.Length;
                    }
                    c = c.Right;
                }
                path.Add(i);
            }
            child = childParent;
        }
        path.Reverse();
        return path;
    }
}
