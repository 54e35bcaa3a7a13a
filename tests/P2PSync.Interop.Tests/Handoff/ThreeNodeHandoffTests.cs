using P2PSync.Interop.Tests.Node;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Three real nodes: while A's activity on a large document is handed to B, C inserts text before
/// A's cursor. Cursors travel as relative positions, so once everything has converged B's cursor
/// index is the old one moved by exactly the inserted length.
/// </summary>
[Collection("node processes")]
public sealed class ThreeNodeHandoffTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ConcurrentInsertBeforeTheCursor_DuringTransfer_MovesTheResumedCursorByItsLength()
    {
        const int cursor = 1_500_000;
        const int anchor = 1_400_000;
        const string inserted = "<inserted by c while the handoff ran>";
        await using var a = await NodeProcess.StartAsync("a");
        await using var c = await NodeProcess.StartAsync("c");
        await HandoffDriver.ConnectAsync(a, c);
        var doc = await a.CreateDocAsync("large and shared");
        var pieces = await HandoffDriver.AppendLargeAsync(a, doc.Id, 3 * 1024 * 1024, pieces: 3);
        var original = string.Concat(pieces);
        await NodeSyncProcessTests.ConvergedAsync(doc.Id, [original], a, c);
        await using var editor = await YTextEditor.OpenAsync(c, doc.Id);
        Assert.Equal(original.Length, editor.Length);

        // b joins late (it lacks the document) and pulls the moment it hears of a's activity; c
        // inserts the moment the transfer starts.
        await using var b = await LackingReceiver.PullAsync(a, doc.Id, original.Length, () => HandoffDriver.SetActivityAsync(a, doc.Id, cursor, anchor, """{"view":"split"}"""), output);
        await editor.InsertAsync(10, inserted);
        var events = b.Events;
        var end = await events.WaitForEndAsync(b.HandoffId, TimeSpan.FromSeconds(120));
        output.WriteLine($"c inserted after 'transferring' at {b.Transferring.At.TotalMilliseconds:F0} ms; b's events: {events.Describe()}");
        Assert.True(end.Kind == HandoffEventKinds.Ready, $"ended {end.Kind} ({end.Reason}); events: {events.Describe()}\n--- b log ---\n{b.Node.Log}");
        Assert.True(end.Reason is null, $"b reported ready with unresolved positions: {end.Reason}");

        var expected = original.Insert(10, inserted);
        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(a.TextAsync(doc.Id), b.Node.TextAsync(doc.Id), c.TextAsync(doc.Id))).All(t => t == expected),
            TimeSpan.FromSeconds(60),
            async () => $"lengths a={(await a.TextAsync(doc.Id))?.Length} b={(await b.Node.TextAsync(doc.Id))?.Length} c={(await c.TextAsync(doc.Id))?.Length}, expected {expected.Length}; insert began after 'transferring'");
        var resumed = await HandoffDriver.ShowActivityAsync(b.Node);
        Assert.Equal(cursor + inserted.Length, resumed.Document(doc.Id).Cursor);
        Assert.Equal(anchor + inserted.Length, resumed.Document(doc.Id).Anchor);
        Assert.True(resumed.StateEquals("""{"view":"split"}"""), resumed.Raw);

        // The sender's own view of its (handed-off) activity moved the same way.
        await Eventually.TrueAsync(
            async () => (await HandoffDriver.ApiActivityAsync(a)).HandedOffTo == b.Node.DeviceId,
            HandoffDriver.Bound,
            async () => await a.Http.GetStringAsync("api/activity"));
        var sender = await HandoffDriver.ApiActivityAsync(a);
        Assert.Equal(cursor + inserted.Length, sender.Document(doc.Id).Cursor);
    }
}
