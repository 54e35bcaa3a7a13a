using System.Diagnostics;
using System.Text.Json;
using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Reads a node's <c>GET /api/handoff/events</c> stream in the background, as an app would, and
/// keeps every event so a test can wait for one (bounded) and look at the ones before it.
/// </summary>
internal sealed class HandoffEventWatcher : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<HandoffEventRecord> _events = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;
    private volatile string? _failure;

    // Completed (and replaced) on every new event, so a waiter wakes at once: the kill test must
    // react within milliseconds of the event it waits for.
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HandoffEventWatcher(Uri apiUrl)
    {
        // The stream stays open for the whole test: no client timeout, the test's own bound applies.
        _http = new HttpClient { BaseAddress = apiUrl, Timeout = Timeout.InfiniteTimeSpan };
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Subscribes and returns once the node answered the subscription (events from then on are seen).</summary>
    public static async Task<HandoffEventWatcher> OpenAsync(NodeProcess node)
    {
        var stream = new HandoffEventWatcher(node.ApiUrl);
        await stream._opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return stream;
    }

    public IReadOnlyList<HandoffEventRecord> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The first event (already seen or still to come) matching <paramref name="match"/>; fails after <paramref name="within"/>.</summary>
    public async Task<HandoffEventRecord> WaitForAsync(Func<HandoffEventRecord, bool> match, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_events)
            {
                changed = _changed.Task;
            }

            if (Events.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            var left = within - clock.Elapsed;
            if (left <= TimeSpan.Zero || _failure is not null)
            {
                Assert.Fail($"no {what} event within {within.TotalSeconds} s{(_failure is null ? "" : $" (stream: {_failure})")}; saw: {Describe()}");
            }

            // Bounded by what is left, and by 1 s so a stream failure is noticed.
            await Task.WhenAny(changed, Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)));
        }
    }

    /// <summary>The first event of <paramref name="kind"/> for handoff <paramref name="id"/>.</summary>
    public Task<HandoffEventRecord> WaitForAsync(string kind, string id, TimeSpan within) =>
        WaitForAsync(e => e.Kind == kind && e.Id == id, within, $"'{kind}' for {id}");

    /// <summary>The first end event (ready, handed-off, declined, expired, failed) of handoff <paramref name="id"/>.</summary>
    public Task<HandoffEventRecord> WaitForEndAsync(string id, TimeSpan within) =>
        WaitForAsync(e => e.Id == id && HandoffEventKinds.IsEnd(e.Kind), within, $"end of {id}");

    public string Describe() => string.Join("; ", Events.Select(e => $"{e.At.TotalMilliseconds:F0}ms {e.Kind} {e.Id} {e.BytesDone}/{e.BytesTotal} {e.Reason}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // Stopping the read is how the stream ends.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            using var response = await _http.GetAsync("api/handoff/events", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            response.EnsureSuccessStatusCode();
            _opened.TrySetResult();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            string? kind = null;
            var data = new System.Text.StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (kind is not null && data.Length > 0)
                    {
                        Add(kind, data.ToString());
                    }

                    (kind, data) = (null, data.Clear());
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    kind = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Append(line["data:".Length..].Trim());
                }
            }

            _failure = "the node closed the stream";
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            _failure = ex.Message;
            _opened.TrySetException(ex);
        }
    }

    private void Add(string kind, string data)
    {
        using var json = JsonDocument.Parse(data);
        var root = json.RootElement;
        var record = new HandoffEventRecord(
            kind,
            root.GetProperty("id").GetString()!,
            root.TryGetProperty("peer", out var peer) ? peer.GetString() ?? "" : "",
            root.TryGetProperty("bytesDone", out var done) && done.ValueKind == JsonValueKind.Number ? done.GetInt64() : 0,
            root.TryGetProperty("bytesTotal", out var total) && total.ValueKind == JsonValueKind.Number ? total.GetInt64() : 0,
            root.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null,
            _clock.Elapsed);
        TaskCompletionSource changed;
        lock (_events)
        {
            _events.Add(record);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
