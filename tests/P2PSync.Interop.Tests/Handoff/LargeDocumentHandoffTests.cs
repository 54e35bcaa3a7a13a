using P2PSync.Interop.Tests.Node;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Large documents between real processes: streamed in chunks with progress, and a sender killed
/// with SIGKILL mid-transfer (the receiver fails cleanly, its documents stay consistent, a retry
/// after the restart resumes with less to move).
/// </summary>
/// <remarks>
/// Trusted, connected nodes also exchange every document by plain sync, so a document "B lacks"
/// exists only between connecting and the first catch-up. The tests create the documents while B
/// is not connected and pull the moment B hears of A's activity, so the handoff starts from B's
/// empty state vector; the plain sync of the same updates runs beside it, as it would for a user.
/// </remarks>
[Collection("node processes")]
public sealed class LargeDocumentHandoffTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task FiveMegabyteDocument_NeverSeen_StreamsInChunksWithProgress()
    {
        await using var a = await NodeProcess.StartAsync("a");
        var doc = await a.CreateDocAsync("five megabytes");
        var pieces = await HandoffDriver.AppendLargeAsync(a, doc.Id, 5 * MiB, pieces: 5);
        await using var b = await LackingReceiver.PullAsync(a, doc.Id, 5 * MiB, () => HandoffDriver.SetActivityAsync(a, doc.Id, cursor: (5 * MiB) / 2, stateJson: """{"scroll":0.5}"""), output);
        var events = b.Events;
        var id = b.HandoffId;
        var end = await events.WaitForEndAsync(id, TimeSpan.FromSeconds(120));
        output.WriteLine($"b's events: {events.Describe()}");

        Assert.True(end.Kind == HandoffEventKinds.Ready, $"ended {end.Kind} ({end.Reason}); events: {events.Describe()}\n--- b log ---\n{b.Node.Log}");
        Assert.True(end.Reason is null, $"b reported ready with unresolved positions: {end.Reason}");
        var progress = events.Events.Where(e => e.Id == id && e.Kind == HandoffEventKinds.Progress).ToList();
        Assert.True(progress.Count >= 5 * MiB / (64 * 1024), $"expected progress per chunk of at most 64 KiB; events: {events.Describe()}");
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First.BytesDone <= p.Second.BytesDone), $"progress went backwards: {events.Describe()}");
        Assert.Equal(end.BytesTotal, progress[^1].BytesDone);

        var text = await b.Node.TextAsync(doc.Id);
        Assert.Equal(string.Concat(pieces).Length, text?.Length);
        Assert.True(text == string.Concat(pieces), "b's text differs from a's");
        Assert.Equal((5 * MiB) / 2, (await HandoffDriver.ShowActivityAsync(b.Node)).Document(doc.Id).Cursor);
        Assert.Equal("five megabytes", await b.Node.NameAsync(doc.Id));
    }

    [Fact]
    public async Task FiveMegabyteDocument_CliPull_PrintsProgressUntilReady()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        var doc = await a.CreateDocAsync("five megabytes");
        var pieces = await HandoffDriver.AppendLargeAsync(a, doc.Id, 5 * MiB, pieces: 5);
        await HandoffDriver.SetActivityAsync(a, doc.Id, cursor: 1234);
        await HandoffDriver.ConnectAsync(a, b);
        await HandoffDriver.WaitForActivityAsync(b, a, doc.Id);

        var pull = await P2PSyncCli.SucceedAsync(b, "handoff", "pull", a.DeviceId);
        output.WriteLine(pull.ToString());

        Assert.Contains("progress", pull.Stdout, StringComparison.Ordinal);
        Assert.Contains("ready", pull.Stdout, StringComparison.Ordinal);
        Assert.True(await b.TextAsync(doc.Id) == string.Concat(pieces), "b's text differs from a's");
        Assert.Equal(1234, (await HandoffDriver.ShowActivityAsync(b)).Document(doc.Id).Cursor);
    }

    /// <remarks>
    /// Where the kill lands: a sender builds every document's diff before it sends the transfer's
    /// header (the header carries their sizes), about a second for these 18 MiB, and then streams
    /// the chunks at loopback speed into the receiver's socket buffer (up to 32 MiB here), so once
    /// the first chunk is seen the rest is already on the receiver's side of the kernel. The kill
    /// therefore lands right after b's request, while a builds the transfer; plain sync runs
    /// beside it and may have delivered some documents whole.
    /// </remarks>
    [Fact]
    public async Task KillNine_MidHandoff_FailsWithAReason_KeepsDocumentsConsistent_RetryMovesOnlyWhatIsMissing()
    {
        const int documents = 6;
        const int piecesPerDocument = 3;
        const int documentChars = 3 * MiB;
        var aData = Path.Combine(Path.GetTempPath(), "p2psync-node-" + Guid.NewGuid().ToString("N"));
        NodeProcess? a = null;
        NodeProcess? b = null;
        HandoffEventWatcher? events = null;
        try
        {
            a = await NodeProcess.StartAsync("a", aData);
            var aPort = a.Port;
            var content = new Dictionary<string, IReadOnlyList<string>>();
            for (var i = 0; i < documents; i++)
            {
                var doc = await a.CreateDocAsync($"large {i}");
                content[doc.Id] = await HandoffDriver.AppendLargeAsync(a, doc.Id, documentChars, piecesPerDocument);
            }

            var activity = content.Keys.Select((id, i) => (DocId: id, Cursor: 1000 + i)).ToList();

            // If plain sync brought everything before b asked, the handoff has nothing to build and
            // ends before any kill can land: a fresh receiver (and a restarted a) tries again.
            string first;
            HandoffEventRecord failed;
            for (var attempt = 1; ; attempt++)
            {
                a ??= await NodeProcess.StartAsync("a", aData, aPort);
                await HandoffDriver.PutActivityAsync(a, activity);
                b = await NodeProcess.StartAsync("b");
                events = await HandoffEventWatcher.OpenAsync(b);
                await HandoffDriver.TrustBothAsync(a, b);
                await HandoffDriver.WaitForActivityAsync(b, a, content.Keys.Last());
                first = await HandoffDriver.PullViaApiAsync(b, a);
                await events.WaitForAsync(HandoffEventKinds.Requested, first, HandoffDriver.Bound);
                await a.KillAsync();
                await a.DisposeAsync();
                a = null;

                failed = await events.WaitForEndAsync(first, TimeSpan.FromSeconds(60));
                output.WriteLine($"attempt {attempt}: killed after 'requested'; b's events: {events.Describe()}");
                if (failed.Kind != HandoffEventKinds.Ready)
                {
                    break;
                }

                Assert.True(attempt < 5, $"in {attempt} attempts plain sync always delivered everything before b asked");
                await events.DisposeAsync();
                events = null;
                await b.DisposeAsync();
                b = null;
            }

            Assert.True(failed.Kind == HandoffEventKinds.Failed, $"expected failed, got {failed.Kind}; events: {events.Describe()}");
            Assert.False(string.IsNullOrWhiteSpace(failed.Reason), "a failed handoff says why");
            Assert.Contains(await HandoffDriver.HandoffsAsync(b), h => h.Id == first && h.Is("Failed") && !string.IsNullOrWhiteSpace(h.Reason));
            Assert.Null((await HandoffDriver.ApiActivityAsync(b)).ResumedFrom);
            await AssertConsistentAsync(b, content);

            // a comes back on the same port with the same store; the app sets its activity again.
            // The retry starts once plain sync has brought at least one document whole, so there
            // is something it must not send again.
            await using var restarted = await NodeProcess.StartAsync("a", aData, aPort);
            await HandoffDriver.PutActivityAsync(restarted, activity);
            await Eventually.TrueAsync(
                async () => await HandoffDriver.SeesActivityAsync(b, restarted, content.Keys.Last()) && (await CompleteDocumentsAsync(b, content)).Count > 0,
                TimeSpan.FromSeconds(60),
                async () => $"b: {await b.Http.GetStringAsync("api/handoff")}\n--- b log ---\n{b.Log}");
            var lacking = documents - (await CompleteDocumentsAsync(b, content)).Count;
            var retry = await P2PSyncCli.SucceedAsync(b, "handoff", "pull", restarted.DeviceId);
            output.WriteLine($"b lacked {lacking} of {documents} documents before the retry\n{retry}");

            var retried = (await HandoffDriver.HandoffsAsync(b)).Single(h => h.Id != first && h.IsIncoming && h.Is("ready"));
            // Each missing document's update is its text (ASCII) plus a few dozen bytes of structure;
            // one b already has costs an empty update (2 bytes).
            Assert.True(retried.BytesTotal <= (lacking * (documentChars + 1024L)) + (documents * 16), $"the retry moved {retried.BytesTotal} bytes for {lacking} missing documents\n{retry}");
            Assert.True(retried.BytesTotal < documents * (long)documentChars, $"the retry moved everything again: {retried.BytesTotal} bytes");
            await AssertConsistentAsync(b, content);
            Assert.Equal(documents, (await CompleteDocumentsAsync(b, content)).Count);
            var resumed = await HandoffDriver.ShowActivityAsync(b);
            Assert.Equal(activity.Select(d => d.Cursor), activity.Select(d => resumed.Document(d.DocId).Cursor ?? -1));
        }
        finally
        {
            if (events is not null)
            {
                await events.DisposeAsync();
            }

            foreach (var node in new[] { b, a })
            {
                if (node is not null)
                {
                    await node.DisposeAsync();
                }
            }

            Directory.Delete(aData, recursive: true);
        }
    }

    /// <summary>Updates are atomic: every document on <paramref name="node"/> is absent, empty, or a whole number of the appends that made it.</summary>
    private async Task AssertConsistentAsync(NodeProcess node, IReadOnlyDictionary<string, IReadOnlyList<string>> content)
    {
        foreach (var (docId, pieces) in content)
        {
            var text = await node.TextAsync(docId);
            var prefixes = Enumerable.Range(0, pieces.Count + 1).Select(n => string.Concat(pieces.Take(n))).ToList();
            output.WriteLine($"{node.DeviceId[..8]} holds {(text is null ? "no" : $"{prefixes.IndexOf(text)} of {pieces.Count} updates of")} {docId}");
            Assert.True(text is null || prefixes.Contains(text), $"document {docId} is torn: {text?.Length} chars, not a whole number of updates");
        }
    }

    private static async Task<List<string>> CompleteDocumentsAsync(NodeProcess node, IReadOnlyDictionary<string, IReadOnlyList<string>> content)
    {
        var complete = new List<string>();
        foreach (var (docId, pieces) in content)
        {
            if (await node.TextAsync(docId) is { } text && text.Length == pieces.Sum(p => p.Length))
            {
                complete.Add(docId);
            }
        }

        return complete;
    }
}
