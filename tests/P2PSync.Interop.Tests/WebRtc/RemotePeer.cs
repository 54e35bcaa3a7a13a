using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// A real WebRTC peer (werift or headless Chromium) running in a network namespace, driven over
/// its stdin/stdout JSON-lines protocol (docs/dev/webrtc-harness.md). Commands are async methods
/// that complete with the driver's reply (a refusal throws <see cref="ControlProtocolException"/>).
/// Every event is kept in arrival order, so a test can wait for one that already happened, and
/// several readers (a test, a <see cref="SignallingRelay"/>) can each walk the events from the start.
/// </summary>
internal sealed class RemotePeer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    // Only the tail of stderr is kept for failure messages: Chromium can be chatty.
    private const int StderrKeep = 16 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly List<PeerEvent> _events = [];
    private readonly Dictionary<int, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Task _reader;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _endedBecause;
    private int _nextId;

    private RemotePeer(PeerDriver driver, NetworkNamespace ns, Process process)
    {
        Driver = driver;
        Namespace = ns;
        _process = process;
        _process.ErrorDataReceived += (_, e) => KeepStderr(e.Data);
        _process.BeginErrorReadLine();
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Raised on the reader thread for each event, after it is recorded.</summary>
    public event Action<PeerEvent>? EventReceived;

    public PeerDriver Driver { get; }

    public NetworkNamespace Namespace { get; }

    /// <summary>The implementation's version as the driver reported it (werift's package, Chromium's build).</summary>
    public string Version { get; private set; } = "";

    public string StderrTail
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the driver inside <paramref name="ns"/> and waits until it reads commands.</summary>
    /// <param name="hideIpsWithMdns">Chromium only: keep its default of announcing host candidates as &lt;uuid&gt;.local.</param>
    public static async Task<RemotePeer> StartAsync(PeerDriver driver, NetworkNamespace ns, bool hideIpsWithMdns = false)
    {
        var script = driver == PeerDriver.Werift ? "webrtc-werift-peer.mjs" : "webrtc-chromium-peer.mjs";
        var start = ns.StartInfo("node", Path.Combine(RepoPaths.Oracle, script));
        start.WorkingDirectory = RepoPaths.Oracle;
        start.StandardOutputEncoding = new UTF8Encoding(false);
        start.StandardInputEncoding = new UTF8Encoding(false);
        start.Environment["P2PSYNC_CHROMIUM"] = WebRtcEnvironment.ChromiumPath;
        start.Environment["P2PSYNC_CHROMIUM_MDNS"] = hideIpsWithMdns ? "on" : "off";
        var process = Process.Start(start) ?? throw new ControlProtocolException($"could not start {script} in {ns.Name}");
        var peer = new RemotePeer(driver, ns, process);
        try
        {
            var ready = await peer.WaitForAsync<ReadyEvent>(_ => true, TimeSpan.FromSeconds(30), "the driver's ready line");
            peer.Version = ready.Version;
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <param name="maxMessageSize">werift only (0 = unlimited, its driver's default); Chromium's is fixed at 262144.</param>
    public Task CreatePeerAsync(int? maxMessageSize = null) =>
        CommandAsync("createPeer", new JsonObject { ["options"] = new JsonObject { ["maxMessageSize"] = maxMessageSize } });

    /// <summary>Makes a channel; labels name channels in this protocol, so they must be unique per peer.</summary>
    public Task CreateDataChannelAsync(string label, bool ordered = true, int? maxRetransmits = null) =>
        CommandAsync("createDataChannel", new JsonObject { ["label"] = label, ["ordered"] = ordered, ["maxRetransmits"] = maxRetransmits });

    /// <summary>createOffer + setLocalDescription; returns the local description as set.</summary>
    public async Task<SessionDescriptionText> CreateOfferAsync() =>
        ControlLineParser.DescriptionResult(await CommandAsync("createOffer", []));

    /// <summary>createAnswer + setLocalDescription; returns the local description as set.</summary>
    public async Task<SessionDescriptionText> CreateAnswerAsync() =>
        ControlLineParser.DescriptionResult(await CommandAsync("createAnswer", []));

    /// <summary>The current local description (Chromium's gains its a=candidate lines once gathering ends).</summary>
    public async Task<SessionDescriptionText> GetLocalDescriptionAsync() =>
        ControlLineParser.DescriptionResult(await CommandAsync("getLocalDescription", []));

    public Task SetRemoteDescriptionAsync(SessionDescriptionText description) =>
        CommandAsync("setRemoteDescription", new JsonObject { ["type"] = description.Type, ["sdp"] = description.Sdp });

    /// <summary>Adds a remote candidate; null is the end-of-candidates marker.</summary>
    public Task AddCandidateAsync(IceCandidateInit? candidate) =>
        CommandAsync("addCandidate", new JsonObject
        {
            ["candidate"] = candidate is null
                ? null
                : new JsonObject
                {
                    ["candidate"] = candidate.Candidate,
                    ["sdpMid"] = candidate.SdpMid,
                    ["sdpMLineIndex"] = candidate.SdpMLineIndex,
                    ["usernameFragment"] = candidate.UsernameFragment,
                },
        });

    public Task SendTextAsync(string label, string text) =>
        CommandAsync("send", new JsonObject { ["label"] = label, ["text"] = text });

    public Task SendBinaryAsync(string label, ReadOnlySpan<byte> data) =>
        CommandAsync("send", new JsonObject { ["label"] = label, ["binary"] = Convert.ToBase64String(data) });

    public Task CloseChannelAsync(string label) =>
        CommandAsync("closeChannel", new JsonObject { ["label"] = label });

    /// <summary>getStats, reduced to connection state, the transport's DTLS/ICE facts and the selected pair (fields a driver lacks are null).</summary>
    public Task<JsonElement> GetStatsAsync() => CommandAsync("stats", []);

    /// <summary>Sends any command object (the id is added); returns the reply's result.</summary>
    public async Task<JsonElement> CommandAsync(string command, JsonObject fields)
    {
        var seen = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate)
        {
            if (_endedBecause is { } why)
            {
                throw new ControlProtocolException($"{this}: cannot send {command}: {why}\n--- stderr ---\n{_stderr}");
            }

            id = ++_nextId;
            _pending[id] = seen;
        }

        fields["id"] = id;
        fields["cmd"] = command;
        await WriteLineAsync(fields.ToJsonString());
        var finished = await Task.WhenAny(seen.Task, Task.Delay(CommandTimeout));
        if (finished != seen.Task)
        {
            lock (_gate)
            {
                _pending.Remove(id);
            }

            throw new TimeoutException($"{this}: no reply to {command} within {CommandTimeout.TotalSeconds} s\n--- stderr ---\n{StderrTail}");
        }

        return await seen.Task;
    }

    /// <summary>Waits for the first event of type <typeparamref name="T"/> matching <paramref name="match"/>, including ones that came before the call.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan within, string what)
        where T : PeerEvent
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            await foreach (var e in EventsAsync(deadline.Token))
            {
                if (e is T found && match(found))
                {
                    return found;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{this}: no {what} within {within.TotalSeconds} s; events so far:\n{Describe(Events)}\n--- stderr ---\n{StderrTail}");
        }

        throw new ControlProtocolException($"{this}: ended before {what}: {_endedBecause}; events:\n{Describe(Events)}\n--- stderr ---\n{StderrTail}");
    }

    /// <summary>Every event so far, in arrival order.</summary>
    public IReadOnlyList<PeerEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>All events from the first, then each new one as it arrives; ends when the driver ends.</summary>
    public async IAsyncEnumerable<PeerEvent> EventsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var next = 0;
        while (true)
        {
            PeerEvent? e = null;
            Task changed;
            bool ended;
            lock (_gate)
            {
                if (next < _events.Count)
                {
                    e = _events[next++];
                }

                changed = _changed.Task;
                ended = _endedBecause is not null;
            }

            if (e is not null)
            {
                yield return e;
                continue;
            }

            if (ended)
            {
                yield break;
            }

            await changed.WaitAsync(ct);
        }
    }

    /// <summary>Closes stdin (the driver then closes its peer and browser and exits); kills it if it does not within 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone: nothing to tell it.
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _reader;
        _process.Dispose();
        _writer.Dispose();
    }

    public override string ToString() => $"{Driver} peer in {Namespace.Name}";

    /// <summary>Sends a raw line as is (the refusal tests feed drivers malformed input with it).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _writer.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }
        catch (IOException e)
        {
            throw new ControlProtocolException($"{this}: the driver's stdin is closed\n--- stderr ---\n{StderrTail}", e);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var why = "its stdout ended";
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                switch (ControlLineParser.Parse(line))
                {
                    case PeerReply reply:
                        Complete(reply);
                        break;
                    case PeerEvent e:
                        Record(e);
                        break;
                }
            }
        }
        catch (ControlProtocolException e)
        {
            why = e.Message;
        }

        List<TaskCompletionSource<JsonElement>> orphans;
        lock (_gate)
        {
            _endedBecause = why;
            orphans = [.. _pending.Values];
            _pending.Clear();
            _changed.TrySetResult();
        }

        foreach (var orphan in orphans)
        {
            orphan.TrySetException(new ControlProtocolException($"{this}: no reply: {why}\n--- stderr ---\n{StderrTail}"));
        }
    }

    private void Complete(PeerReply reply)
    {
        TaskCompletionSource<JsonElement>? waiter = null;
        lock (_gate)
        {
            if (reply.Id is { } id && _pending.Remove(id, out var found))
            {
                waiter = found;
            }
        }

        if (waiter is null)
        {
            // A reply to nothing we sent (e.g. to a raw malformed line) is kept as an event-like record for the tests.
            Record(new DriverErrorEvent($"reply to no pending command: {(reply.Ok ? "ok" : reply.Error)}"));
            return;
        }

        if (reply.Ok)
        {
            waiter.TrySetResult(reply.Result);
        }
        else
        {
            waiter.TrySetException(new ControlProtocolException($"{this} refused the command: {reply.Error}"));
        }
    }

    private void Record(PeerEvent e)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _events.Add(e);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        EventReceived?.Invoke(e);
    }

    private void KeepStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _stderr.AppendLine(line);
            if (_stderr.Length > StderrKeep)
            {
                _stderr.Remove(0, _stderr.Length - StderrKeep);
            }
        }
    }

    private static string Describe(IEnumerable<PeerEvent> events) =>
        string.Join('\n', events.Select(e => e switch
        {
            ChannelMessageEvent m => $"  message on {m.Label}: {(m.Text is { } t ? $"text, {t.Length} chars" : $"binary, {m.Binary!.Length} bytes")}",
            LocalDescriptionEvent d => $"  local {d.Description.Type}",
            _ => "  " + e,
        }));
}
