using P2PSync.Interop.Tests.Node;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// A fresh node that pulled the sender's activity while it still lacked the documents, so the
/// handoff itself carries them (its <see cref="Transferring"/> event announced at least the bytes
/// asked for).
/// </summary>
/// <remarks>
/// Trusted, connected nodes also exchange every document by plain sync, and which of the two
/// reaches a new device first depends on the order the sender queues them on the one connection.
/// A process test cannot choose that order, so it tries fresh receivers until the handoff is the
/// one carrying the bulk (each attempt logged); the simulation tests pin the order instead.
/// </remarks>
internal sealed class LackingReceiver : IAsyncDisposable
{
    private LackingReceiver(NodeProcess node, HandoffEventWatcher events, string handoffId, HandoffEventRecord transferring)
    {
        Node = node;
        Events = events;
        HandoffId = handoffId;
        Transferring = transferring;
    }

    public NodeProcess Node { get; }

    public HandoffEventWatcher Events { get; }

    public string HandoffId { get; }

    public HandoffEventRecord Transferring { get; }

    /// <summary>
    /// Starts receivers (named <paramref name="name"/>) one at a time until one's pull of
    /// <paramref name="sender"/>'s activity (which names <paramref name="docId"/>) transfers at
    /// least <paramref name="minBytes"/>. <paramref name="setActivity"/> runs before every attempt
    /// (a finished handoff marks the sender's activity handed off).
    /// </summary>
    public static async Task<LackingReceiver> PullAsync(NodeProcess sender, string docId, long minBytes, Func<Task> setActivity, ITestOutputHelper output, string name = "b", int attempts = 6)
    {
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await setActivity();
            var node = await NodeProcess.StartAsync(name);
            HandoffEventWatcher? events = null;
            var keep = false;
            try
            {
                events = await HandoffEventWatcher.OpenAsync(node);
                await HandoffDriver.TrustBothAsync(sender, node);
                await HandoffDriver.WaitForActivityAsync(node, sender, docId);
                var id = await HandoffDriver.PullViaApiAsync(node, sender);
                var begin = await events.WaitForAsync(
                    e => e.Id == id && (e.Kind == HandoffEventKinds.Transferring || HandoffEventKinds.IsEnd(e.Kind)),
                    TimeSpan.FromSeconds(120),
                    $"the start of {id}");
                if (begin.Kind == HandoffEventKinds.Transferring && begin.BytesTotal >= minBytes)
                {
                    output.WriteLine($"attempt {attempt}: the handoff carries {begin.BytesTotal} bytes");
                    keep = true;
                    return new LackingReceiver(node, events, id, begin);
                }

                var discarded = await events.WaitForEndAsync(id, TimeSpan.FromSeconds(120));
                output.WriteLine($"attempt {attempt}: plain sync delivered first (handoff {begin.BytesTotal} bytes, ended {discarded.Kind} {discarded.Reason}); trying a fresh receiver");
                var removed = await sender.Http.DeleteAsync($"api/peers/{node.DeviceId}");
                removed.EnsureSuccessStatusCode();
            }
            finally
            {
                if (!keep)
                {
                    if (events is not null)
                    {
                        await events.DisposeAsync();
                    }

                    await node.DisposeAsync();
                }
            }
        }

        Assert.Fail($"in {attempts} attempts plain sync always delivered the documents before the handoff could");
        throw new InvalidOperationException("unreachable");
    }

    public async ValueTask DisposeAsync()
    {
        await Events.DisposeAsync();
        await Node.DisposeAsync();
    }
}
