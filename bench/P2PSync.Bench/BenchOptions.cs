using System.Globalization;

namespace P2PSync.Bench;

/// <summary>Command line of the bench runner.</summary>
internal sealed record BenchOptions(int Runs, string? OutputPath, string Node, IReadOnlyList<string> Traces)
{
    public const string Usage =
        "usage: P2PSync.Bench [--runs N] [--out FILE.md] [--node PATH] [TRACE.json.gz ...]\n" +
        "  default: 5 runs, all of bench/traces/sequential, report to bench/results/latest.md";

    /// <summary>Parses the arguments; returns null (after printing why) when they are not usable.</summary>
    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        var runs = 5;
        string? output = null;
        var node = "node";
        var traces = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--node" when i + 1 < args.Length:
                    node = args[++i];
                    break;
                case "-h" or "--help":
                    error.WriteLine(Usage);
                    return null;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        error.WriteLine($"unknown or incomplete option {args[i]}\n{Usage}");
                        return null;
                    }

                    traces.Add(args[i]);
                    break;
            }
        }

        return new BenchOptions(runs, output, node, traces);
    }
}
