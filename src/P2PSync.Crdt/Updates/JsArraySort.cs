namespace P2PSync.Crdt.Updates;

/// <summary>
/// Sorts like V8's Array.prototype.sort (TimSort) for arrays shorter than 64: find the leading
/// run (reversing it if strictly descending), then binary-insert the rest. The comparator yjs
/// uses to order update readers is not consistent for a GC and an Item at the same clock, so
/// the order, and with it the merged bytes, depends on exactly which comparisons are made.
/// Longer arrays are binary-insertion sorted, which is stable and agrees with V8 whenever the
/// comparator is consistent.
/// </summary>
internal static class JsArraySort
{
    private const int V8MinMerge = 64;

    public static void Sort<T>(List<T> list, Comparison<T> compare)
    {
        var length = list.Count;
        if (length < 2)
        {
            return;
        }
        var runLength = length < V8MinMerge ? CountAndMakeRun(list, compare) : 1;
        BinaryInsertionSort(list, compare, runLength);
    }

    private static int CountAndMakeRun<T>(List<T> list, Comparison<T> compare)
    {
        var runLength = 2;
        var descending = compare(list[1], list[0]) < 0;
        var previous = list[1];
        for (var i = 2; i < list.Count; i++)
        {
            var current = list[i];
            var order = compare(current, previous);
            if (descending ? order >= 0 : order < 0)
            {
                break;
            }
            previous = current;
            runLength++;
        }
        if (descending)
        {
            list.Reverse(0, runLength);
        }
        return runLength;
    }

    private static void BinaryInsertionSort<T>(List<T> list, Comparison<T> compare, int sortedPrefix)
    {
        for (var start = sortedPrefix; start < list.Count; start++)
        {
            var pivot = list[start];
            var left = 0;
            var right = start;
            while (left < right)
            {
                var mid = left + ((right - left) >> 1);
                if (compare(pivot, list[mid]) < 0)
                {
                    right = mid;
                }
                else
                {
                    left = mid + 1;
                }
            }
            for (var p = start; p > left; p--)
            {
                list[p] = list[p - 1];
            }
            list[left] = pivot;
        }
    }
}
