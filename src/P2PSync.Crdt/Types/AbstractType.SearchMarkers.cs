using System.Runtime.InteropServices;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

public partial class AbstractType
{
    /// <summary>At most this many markers are kept per type; beyond it the stalest one is moved.</summary>
    internal const int MaxSearchMarker = 80;

    /// <summary>
    /// Finds (and refreshes, or creates) the marker closest to <paramref name="index"/>, moved so
    /// that its item cannot merge with its left neighbour. Null when markers are not in use,
    /// the list is empty, or the index is 0 (the start is trivially known).
    /// </summary>
    internal ArraySearchMarker? FindMarker(int index)
    {
        var markers = SearchMarker;
        if (Start is null || index == 0 || markers is null)
        {
            return null;
        }
        ArraySearchMarker? marker = null;
        var bestDistance = int.MaxValue;
        foreach (var m in CollectionsMarshal.AsSpan(markers))
        {
            // Ties go to the later marker, as in Yjs's reduce.
            var distance = Math.Abs(index - m.Index);
            if (distance <= bestDistance)
            {
                marker = m;
                bestDistance = distance;
            }
        }
        Item p = Start;
        int pindex = 0;
        if (marker is not null)
        {
            p = marker.P;
            pindex = marker.Index;
            marker.Timestamp = NextMarkerTimestamp();
        }
        // Walk right while the target lies beyond p.
        while (p.Right is not null && pindex < index)
        {
            if (!p.Deleted && p.Countable)
            {
                if (index < pindex + p.Length)
                {
                    break;
                }
                pindex += p.Length;
            }
            p = p.Right;
        }
        // Walk left if the marker started past the target.
        while (p.Left is not null && pindex > index)
        {
            p = p.Left;
            if (!p.Deleted && p.Countable)
            {
                pindex -= p.Length;
            }
        }
        // A marked item that later merges into its left neighbour would leave the marker
        // pointing at a struct that no longer exists, so stop on an item that cannot merge.
        while (p.Left is not null && p.Left.Id.Client == p.Id.Client && p.Left.Id.Clock + p.Left.Length == p.Id.Clock)
        {
            p = p.Left;
            if (!p.Deleted && p.Countable)
            {
                pindex -= p.Length;
            }
        }
        var parent = p.Parent!;
        if (marker is not null && Math.Abs(marker.Index - pindex) < (double)parent.InternalLength / MaxSearchMarker)
        {
            OverwriteMarker(marker, p, pindex);
            return marker;
        }
        return MarkPosition(markers, p, pindex);
    }

    private void OverwriteMarker(ArraySearchMarker marker, Item p, int index)
    {
        marker.P.Marker = false;
        marker.P = p;
        p.Marker = true;
        marker.Index = index;
        marker.Timestamp = NextMarkerTimestamp();
    }

    private ArraySearchMarker MarkPosition(List<ArraySearchMarker> markers, Item p, int index)
    {
        if (markers.Count >= MaxSearchMarker)
        {
            // Recycle the least recently used marker instead of allocating another one.
            var oldest = markers[0];
            for (int i = 1; i < markers.Count; i++)
            {
                if (markers[i].Timestamp <= oldest.Timestamp)
                {
                    oldest = markers[i];
                }
            }
            OverwriteMarker(oldest, p, index);
            return oldest;
        }
        var pm = new ArraySearchMarker(p, index, NextMarkerTimestamp());
        markers.Add(pm);
        return pm;
    }

    /// <summary>
    /// Shifts markers after a change of <paramref name="len"/> units at <paramref name="index"/>
    /// (positive for insertions, negative for deletions; call before deleting).
    /// </summary>
    /// <remarks>
    /// This runs for every insertion and deletion over up to <see cref="MaxSearchMarker"/> markers,
    /// so it iterates the list's array directly. Removing the current element while walking
    /// backwards only shifts elements that were already visited.
    /// </remarks>
    internal static void UpdateMarkerChanges(List<ArraySearchMarker> searchMarker, int index, int len)
    {
        var markers = CollectionsMarshal.AsSpan(searchMarker);
        if (len <= 0)
        {
            for (var i = markers.Length - 1; i >= 0; i--)
            {
                var m = markers[i];
                if (index < m.Index)
                {
                    m.Index = Math.Max(index, m.Index + len);
                }
            }
            return;
        }
        for (var i = markers.Length - 1; i >= 0; i--)
        {
            var m = markers[i];
            var p = m.P;
            if (!p.Deleted && p.Countable)
            {
                // The marker stays where it is (Yjs clears and sets the flag again).
                p.Marker = true;
            }
            else if (!MoveToCountable(m))
            {
                // Nothing to point at, or another marker already covers that item.
                searchMarker.RemoveAt(i);
                continue;
            }
            if (index <= m.Index)
            {
                m.Index = Math.Max(index, m.Index + len);
            }
        }
    }

    /// <summary>
    /// Moves a marker that sits on a deleted item or a format to the previous countable item,
    /// so that comparing positions is meaningful; false if there is none or it is marked already.
    /// </summary>
    private static bool MoveToCountable(ArraySearchMarker m)
    {
        Item? p = m.P;
        p.Marker = false;
        while (p is not null && (p.Deleted || !p.Countable))
        {
            p = p.Left;
            if (p is not null && !p.Deleted && p.Countable)
            {
                m.Index -= p.Length;
            }
        }
        if (p is null || p.Marker)
        {
            return false;
        }
        m.P = p;
        p.Marker = true;
        return true;
    }
}
