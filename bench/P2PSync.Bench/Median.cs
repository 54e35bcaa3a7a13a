namespace P2PSync.Bench;

/// <summary>The median of repeated measurements: robust against one run hit by a GC or a noisy neighbour.</summary>
internal static class Median
{
    public static double Of<T>(IReadOnlyList<T> items, Func<T, double> value)
    {
        if (items.Count == 0)
        {
            return double.NaN;
        }

        var values = new double[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(items[i]);
        }

        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
