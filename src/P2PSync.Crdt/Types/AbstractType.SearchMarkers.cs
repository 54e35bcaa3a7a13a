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
        for (int i = 0; i < markers.Count; i++)
        {
            var m = markers[i];
            // Ties go to the later marker, as in Yjs's reduce.
            if (marker is null || Math.Abs(index - m.Index) <= Math.Abs(index - marker.Index))
            {
                marker = m;
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
    internal static void UpdateMarkerChanges(List<ArraySearchMarker> searchMarker, int index, int len)
    {
        for (int i = searchMarker.Count - 1; i >= 0; i--)
        {
            var m = searchMarker[i];
            if (len > 0)
            {
                Item? p = m.P;
                p.Marker = false;
                // Markers may sit on deleted items or formats; move to the previous countable
                // item so that comparing positions below is meaningful.
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
                    // Nothing to point at, or another marker already covers this item.
                    searchMarker.RemoveAt(i);
                    continue;
                }
                m.P = p;
                p.Marker = true;
            }
            if (index < m.Index || (len > 0 && index == m.Index))
            {
                m.Index = Math.Max(index, m.Index + len);
            }
        }
    }
}
