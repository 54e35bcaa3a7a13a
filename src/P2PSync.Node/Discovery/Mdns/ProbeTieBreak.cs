using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Simultaneous probe tie-breaking (RFC 6762 §8.2): both hosts sort the records they propose
/// for a name by class, type and raw rdata, then compare pairwise; the first difference decides,
/// and a host whose list runs out first loses. The lexicographically later set wins.
/// </summary>
internal static class ProbeTieBreak
{
    /// <summary>
    /// Positive when <paramref name="ours"/> wins, negative when we must defer, zero when the sets
    /// are the same (our own probe looped back, or a peer proposing identical data: no conflict).
    /// </summary>
    public static int Compare(IEnumerable<DnsRecord> ours, IEnumerable<DnsRecord> theirs)
    {
        var left = Sorted(ours);
        var right = Sorted(theirs);
        for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
        {
            var order = CompareOne(left[i], right[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return left.Count.CompareTo(right.Count);
    }

    private static List<(DnsRecordType Type, byte[] Rdata)> Sorted(IEnumerable<DnsRecord> records)
    {
        // Class is IN for every record mDNS compares here (the decoder keeps only the flush bit), so
        // the class step of §8.2 never decides and is left out.
        var list = records.Select(r => (r.Type, CanonicalRdata.Of(r.Data))).ToList();
        list.Sort(CompareOne);
        return list;
    }

    private static int CompareOne((DnsRecordType Type, byte[] Rdata) a, (DnsRecordType Type, byte[] Rdata) b)
    {
        var byType = ((ushort)a.Type).CompareTo((ushort)b.Type);
        return byType != 0 ? byType : a.Rdata.AsSpan().SequenceCompareTo(b.Rdata);
    }
}
