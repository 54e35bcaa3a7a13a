namespace P2PSync.SpacesCryptoBench;

/// <summary>Medians and spreads of per-round numbers: robust to the round a GC or a neighbour hit.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    /// <summary>Nearest-rank percentile (0..100).</summary>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        if (percent == 50)
        {
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Ours / floor per round: both sides of one ratio saw the same machine load.</summary>
    public static IReadOnlyList<double> Ratios(IReadOnlyList<double> ours, IReadOnlyList<double> floor)
        => ours.Zip(floor, (o, f) => o / f).ToArray();
}
