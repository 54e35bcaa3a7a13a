using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Core;

// The types a transaction changed (Yjs transaction.changed, a Map<AbstractType, Set<string|null>>).
// A typical transaction changes the list content of one type, so instead of a dictionary of
// sets we keep the first entry in a field, the others in an insertion-ordered array, and leave
// the set out until a key changes.
public sealed partial class Transaction
{
    // Beyond this many types a lookup index pays for itself (e.g. a remote update touching many maps).
    private const int ChangedIndexThreshold = 8;

    private ChangedType _firstChanged;
    private ChangedType[]? _moreChanged;
    private int _changedCount;

    /// <summary>Number of types changed directly (types created in this transaction are not included).</summary>
    internal int ChangedTypeCount => _changedCount;

    /// <summary>The <paramref name="index"/>th changed type, in the order they first changed.</summary>
    internal AbstractType GetChangedType(int index) => ChangedAt(index).Type;

    /// <summary>The keys that changed in the <paramref name="index"/>th type (null for the list content).</summary>
    private HashSet<string?> GetChangedSubs(int index)
    {
        ref var entry = ref ChangedAt(index);
        // Materialised once and kept, so every reader sees the same set (events expose it).
        return entry.Subs ??= new HashSet<string?> { null };
    }

    /// <summary>The keys that changed in <paramref name="type"/>, or null if it did not change.</summary>
    internal HashSet<string?>? FindChangedSubs(AbstractType type)
    {
        var index = IndexOfChangedType(type);
        return index < 0 ? null : GetChangedSubs(index);
    }

    /// <summary>Records that <paramref name="parentSub"/> (null: the list content) of <paramref name="type"/> changed.</summary>
    internal void AddChangedSub(AbstractType type, string? parentSub)
    {
        var index = IndexOfChangedType(type);
        if (index < 0)
        {
            AppendChangedType(type, parentSub is null ? null : new HashSet<string?> { parentSub });
            return;
        }
        ref var entry = ref ChangedAt(index);
        if (entry.Subs is not null)
        {
            entry.Subs.Add(parentSub);
        }
        else if (parentSub is not null)
        {
            // The list content changed first; the set keeps that order (events iterate it).
            entry.Subs = new HashSet<string?> { null, parentSub };
        }
    }

    /// <summary>Forgets a changed type (a type that is itself deleted raises no event of its own).</summary>
    internal void RemoveChangedType(AbstractType type)
    {
        var index = IndexOfChangedType(type);
        if (index < 0)
        {
            return;
        }
        // Shift instead of swapping: the observers run in the order the types first changed.
        for (var i = index; i < _changedCount - 1; i++)
        {
            ChangedAt(i) = ChangedAt(i + 1);
        }
        _changedCount--;
        ChangedAt(_changedCount) = default;
        if (_rare?.ChangedIndex is { } changedIndex)
        {
            changedIndex.Remove(type);
            for (var i = index; i < _changedCount; i++)
            {
                changedIndex[ChangedAt(i).Type] = i;
            }
        }
    }

    private void AppendChangedType(AbstractType type, HashSet<string?>? subs)
    {
        if (_changedCount > 0)
        {
            _moreChanged ??= new ChangedType[2];
            if (_changedCount - 1 == _moreChanged.Length)
            {
                Array.Resize(ref _moreChanged, _moreChanged.Length * 2);
            }
        }
        ChangedAt(_changedCount) = new ChangedType(type, subs);
        if (_rare?.ChangedIndex is { } changedIndex)
        {
            changedIndex[type] = _changedCount;
        }
        else if (_changedCount + 1 > ChangedIndexThreshold)
        {
            changedIndex = new Dictionary<AbstractType, int>(_changedCount * 2, ReferenceEqualityComparer.Instance);
            for (var i = 0; i <= _changedCount; i++)
            {
                changedIndex[ChangedAt(i).Type] = i;
            }
            Rare.ChangedIndex = changedIndex;
        }
        _changedCount++;
    }

    private ref ChangedType ChangedAt(int index) => ref index == 0 ? ref _firstChanged : ref _moreChanged![index - 1];

    private int IndexOfChangedType(AbstractType type)
    {
        if (_rare?.ChangedIndex is { } changedIndex)
        {
            return changedIndex.TryGetValue(type, out var index) ? index : -1;
        }
        for (var i = 0; i < _changedCount; i++)
        {
            if (ReferenceEquals(ChangedAt(i).Type, type))
            {
                return i;
            }
        }
        return -1;
    }
}
