using System.Runtime.InteropServices;
using P2PSync.Bench;
using P2PSync.Node.CrdtTools;

// Compares P2PSync.Crdt with yjs on the sequential editing traces and writes bench/results/latest.md.
var options = BenchOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

var repoRoot = RepoRoot.Find();
var traces = options.Traces.Count > 0
    ? options.Traces.Select(Path.GetFullPath).ToList()
    : Directory.GetFiles(Path.Combine(repoRoot, "bench", "traces", "sequential"), "*.json.gz").Order(StringComparer.Ordinal).ToList();

var results = new List<TraceComparison>();
foreach (var tracePath in traces)
{
    var name = Path.GetFileName(tracePath);
    Console.Error.WriteLine($"== {name}");
    ImplementationResult? ours = null, yjs = null;
    string? oursError = null, yjsError = null;
    try
    {
        ours = OurTraceBench.Run(EditTraceReader.ReadFile(tracePath), options.Runs);
    }
    catch (Exception ex)
    {
        // One broken trace must not hide the numbers of the others; the report lists it.
        oursError = $"{ex.GetType().Name}: {ex.Message}";
    }

    try
    {
        yjs = YjsTraceBench.Run(repoRoot, options.Node, tracePath, options.Runs);
    }
    catch (Exception ex)
    {
        yjsError = $"{ex.GetType().Name}: {ex.Message}";
    }

    results.Add(new TraceComparison(name, ours, oursError, yjs, yjsError));
}

var environment = new BenchEnvironment(
    TimeProvider.System.GetUtcNow(),
    Environment.ProcessorCount,
    RuntimeInformation.OSDescription,
    Environment.Version.ToString(),
    YjsTraceBench.NodeVersion(options.Node),
    options.Runs);
var report = MarkdownReport.Build(results, environment);
Console.WriteLine(report);

var outputPath = options.OutputPath ?? Path.Combine(repoRoot, "bench", "results", "latest.md");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
File.WriteAllText(outputPath, report);
Console.Error.WriteLine($"report written to {outputPath}");
return results.All(r => r.Complete) ? 0 : 1;
