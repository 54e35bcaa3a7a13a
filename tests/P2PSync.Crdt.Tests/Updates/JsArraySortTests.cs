using P2PSync.Crdt.Updates;

namespace P2PSync.Crdt.Tests.Updates;

public sealed class JsArraySortTests
{
    private sealed record Element(int Index, char Kind, ulong Client, int Clock);

    public static TheoryData<int> Cases => new(
        UpdatesGoldenData.Entries.Keys
            .Where(k => k.StartsWith("jssort:", StringComparison.Ordinal) && k.EndsWith(":input", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)));

    // The reader order comparator of mergeUpdates, inconsistent for G vs I at the same clock.
    private static int Compare(Element a, Element b)
    {
        if (a.Client == b.Client)
        {
            var clockOrder = a.Clock.CompareTo(b.Clock);
            if (clockOrder != 0)
            {
                return clockOrder;
            }
            return a.Kind == b.Kind ? 0 : a.Kind == 'S' ? 1 : -1;
        }
        return b.Client.CompareTo(a.Client);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sort_MatchesV8(int n)
    {
        var elements = UpdatesGoldenData.Entries[$"jssort:{n}:input"].Split(',')
            .Select((text, i) =>
            {
                var parts = text.Split(' ');
                return new Element(i, parts[0][0], ulong.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
            })
            .ToList();
        JsArraySort.Sort(elements, Compare);
        Assert.Equal(UpdatesGoldenData.Entries[$"jssort:{n}"], string.Join(",", elements.Select(e => e.Index)));
    }
}
