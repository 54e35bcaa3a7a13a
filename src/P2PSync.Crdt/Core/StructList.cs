using System.Collections;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Core;

/// <summary>
/// The structs of one client in clock order (what Yjs keeps in a plain array), stored as a gap
/// buffer: the free capacity sits where the last insertion or removal happened.
/// </summary>
/// <remarks>
/// Editing old text splits old items and merges deleted neighbours in the middle of the list.
/// With a plain list every split and every merge shifts the whole tail, and in long editing
/// traces that memory traffic was the largest single cost of applying edits. Edits cluster, so
/// consecutive insertions and removals land next to the gap and move little; appending new
/// structs at the end costs one move of the gap back to the end, no more than a list insertion.
/// </remarks>
internal sealed class StructList : IReadOnlyList<AbstractStruct>
{
    private const int MinCapacity = 4;

    private AbstractStruct?[] _items;

    // The gap is [_gapStart, _gapEnd); elements are [0, _gapStart) and [_gapEnd, _items.Length).
    private int _gapStart;
    private int _gapEnd;

    public StructList()
    {
        _items = new AbstractStruct?[MinCapacity];
        _gapEnd = _items.Length;
    }

    public StructList(IReadOnlyList<AbstractStruct> structs)
    {
        _items = new AbstractStruct?[Math.Max(structs.Count, MinCapacity)];
        for (var i = 0; i < structs.Count; i++)
        {
            _items[i] = structs[i];
        }
        _gapStart = structs.Count;
        _gapEnd = _items.Length;
    }

    public int Count => _items.Length - (_gapEnd - _gapStart);

    public AbstractStruct this[int index]
    {
        get => _items[PhysicalIndex(index)]!;
        set => _items[PhysicalIndex(index)] = value;
    }

    public void Add(AbstractStruct s) => Insert(Count, s);

    public void Insert(int index, AbstractStruct s)
    {
        if ((uint)index > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        if (_gapStart == _gapEnd)
        {
            Grow();
        }
        MoveGapTo(index);
        _items[_gapStart++] = s;
    }

    public void RemoveRange(int index, int count)
    {
        if (index < 0 || count < 0 || index > Count - count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        MoveGapTo(index);
        // Clear the removed slots so the gap holds no references that keep structs alive.
        Array.Clear(_items, _gapEnd, count);
        _gapEnd += count;
    }

    /// <summary>
    /// Index of the struct containing <paramref name="clock"/>, or -1. The last struct is tried
    /// first (integrating an update or typing refers to the newest struct most of the time); then
    /// the first probe is placed where the clock would be if all structs had equal length, which
    /// hits at once for uniform runs.
    /// </summary>
    public int IndexOfClock(int clock)
    {
        var count = Count;
        if (count == 0)
        {
            return -1;
        }
        var last = this[count - 1];
        var lastStart = last.Id.Clock;
        if (lastStart <= clock)
        {
            return clock < lastStart + last.Length ? count - 1 : -1;
        }
        // Search whichever side of the gap holds the clock, directly in the array.
        var gapLength = _gapEnd - _gapStart;
        int left, right;
        if (_gapEnd < _items.Length && _items[_gapEnd]!.Id.Clock <= clock)
        {
            left = _gapEnd;
            right = _items.Length - 2;
        }
        else
        {
            left = 0;
            right = Math.Min(_gapStart, count - 1) - 1;
        }
        if (right < left)
        {
            return -1;
        }
        // lastStart > clock >= 0 here, so the estimate's divisor is positive.
        var estimate = (int)Math.Min((long)clock * (count - 1) / ((long)lastStart + last.Length - 1), count - 1);
        var mid = Math.Clamp(estimate < _gapStart ? estimate : estimate + gapLength, left, right);
        var items = _items;
        while (left <= right)
        {
            var s = items[mid]!;
            var start = s.Id.Clock;
            if (start <= clock)
            {
                if (clock < start + s.Length)
                {
                    return mid < _gapStart ? mid : mid - gapLength;
                }
                left = mid + 1;
            }
            else
            {
                right = mid - 1;
            }
            mid = (left + right) >>> 1;
        }
        return -1;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<AbstractStruct> IEnumerable<AbstractStruct>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int PhysicalIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }
        return index < _gapStart ? index : index + (_gapEnd - _gapStart);
    }

    /// <summary>Moves the gap so that it starts at logical <paramref name="index"/>.</summary>
    private void MoveGapTo(int index)
    {
        if (index < _gapStart)
        {
            // Elements [index, _gapStart) move to just before _gapEnd.
            var n = _gapStart - index;
            Array.Copy(_items, index, _items, _gapEnd - n, n);
            Array.Clear(_items, index, Math.Min(n, _gapEnd - _gapStart));
            _gapStart = index;
            _gapEnd -= n;
        }
        else if (index > _gapStart)
        {
            // Elements [_gapEnd, _gapEnd + n) move to _gapStart.
            var n = index - _gapStart;
            Array.Copy(_items, _gapEnd, _items, _gapStart, n);
            var vacated = Math.Max(_gapEnd, _gapStart + n);
            Array.Clear(_items, vacated, _gapEnd + n - vacated);
            _gapStart += n;
            _gapEnd += n;
        }
    }

    private void Grow()
    {
        var grown = new AbstractStruct?[Math.Max(MinCapacity, (int)Math.Min(Array.MaxLength, 2L * _items.Length))];
        Array.Copy(_items, 0, grown, 0, _gapStart);
        var tail = _items.Length - _gapEnd;
        Array.Copy(_items, _gapEnd, grown, grown.Length - tail, tail);
        _items = grown;
        _gapEnd = grown.Length - tail;
    }

    /// <summary>Enumerates in clock order without allocating.</summary>
    public struct Enumerator : IEnumerator<AbstractStruct>
    {
        private readonly StructList _list;
        private int _index;

        internal Enumerator(StructList list)
        {
            _list = list;
            _index = -1;
        }

        public readonly AbstractStruct Current => _list[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _list.Count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
