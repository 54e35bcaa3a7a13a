using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.CrdtTools;

namespace P2PSync.Bench;

/// <summary>
/// Measures P2PSync.Crdt on one trace the same way bench/yjs/trace-bench.mjs measures yjs:
/// a warm-up run, then <c>runs</c> measured runs of apply, encode, load and retained heap.
/// </summary>
internal static class OurTraceBench
{
    public static ImplementationResult Run(EditTrace trace, int runs)
    {
        // The warm-up run lets tiered JIT reach optimised code; its numbers are not reported.
        MeasureOnce(trace, out var updateSha256);
        var measured = new List<TraceRun>(runs);
        for (var i = 0; i < runs; i++)
        {
            measured.Add(MeasureOnce(trace, out _));
        }

        return new ImplementationResult(measured, updateSha256);
    }

    // Memory is the managed heap's growth from just before the doc is created to just after the
    // replay, both after a full compacting GC: the same baseline method as trace-bench.mjs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TraceRun MeasureOnce(EditTrace trace, out string updateSha256)
    {
        var before = HeapAfterFullGc();
        var doc = UpdateFile.NewDoc();
        var stopwatch = Stopwatch.StartNew();
        TraceReplayer.Replay(trace, doc);
        var applyMs = stopwatch.Elapsed.TotalMilliseconds;
        Verify(doc, trace, "replay");
        var heapBytes = HeapAfterFullGc() - before;

        stopwatch.Restart();
        var update = Y.EncodeStateAsUpdate(doc);
        var encodeMs = stopwatch.Elapsed.TotalMilliseconds;
        updateSha256 = Convert.ToHexStringLower(SHA256.HashData(update));

        var loaded = UpdateFile.NewDoc();
        stopwatch.Restart();
        Y.ApplyUpdate(loaded, update, origin: null);
        var loadMs = stopwatch.Elapsed.TotalMilliseconds;
        Verify(loaded, trace, "load");
        return new TraceRun(applyMs, encodeMs, loadMs, update.Length, heapBytes);
    }

    private static void Verify(Doc doc, EditTrace trace, string step)
    {
        if (doc.GetText(TraceReplayer.RootName).ToString() != trace.EndContent)
        {
            throw new InvalidOperationException($"our {step} does not reach endContent");
        }
    }

    private static long HeapAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
