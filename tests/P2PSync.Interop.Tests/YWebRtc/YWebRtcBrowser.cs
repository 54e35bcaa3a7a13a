using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Interop.Tests.Oracle;
using P2PSync.Interop.Tests.WebRtc;

namespace P2PSync.Interop.Tests.YWebRtc;

/// <summary>
/// One headless Chromium tab running unmodified yjs + y-webrtc (tests/oracle/ywebrtc-browser-peer.mjs)
/// inside a network namespace, driven over its JSON-lines stdin/stdout. Every line it prints is kept,
/// in order, for the waits and for failure messages.
/// </summary>
internal sealed class YWebRtcBrowser : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<JsonObject> _lines = [];
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();
    private readonly Task _reader;
    private int _nextId;

    private YWebRtcBrowser(string name, Process process)
    {
        Name = name;
        _process = process;
        _reader = Task.Run(ReadAsync);
        _process.ErrorDataReceived += (_, e) => Append($"stderr: {e.Data}");
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="hideIpsWithMdns">Chromium's default (host candidates as &lt;uuid&gt;.local names), as real users run it.</param>
    public static async Task<YWebRtcBrowser> StartAsync(NetworkNamespace ns, string name, bool hideIpsWithMdns = false)
    {
        var start = ns.StartInfo("node", Path.Combine(RepoPaths.Oracle, "ywebrtc-browser-peer.mjs"));
        start.WorkingDirectory = RepoPaths.Oracle;
        start.StandardOutputEncoding = new UTF8Encoding(false);
        start.StandardInputEncoding = new UTF8Encoding(false);
        start.RedirectStandardError = true;
        start.Environment["P2PSYNC_CHROMIUM"] = WebRtcEnvironment.ChromiumPath;
        start.Environment["P2PSYNC_CHROMIUM_MDNS"] = hideIpsWithMdns ? "on" : "off";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the y-webrtc browser driver in {ns.Name}");
        var browser = new YWebRtcBrowser(name, process);
        try
        {
            await browser.WaitForEventAsync("ready", _ => true, TimeSpan.FromSeconds(60));
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>new WebrtcProvider(room, doc, {signaling: [url], password}); returns the room peer id y-webrtc picked.</summary>
    public async Task<string> JoinAsync(Uri signalUrl, string room, string? password)
    {
        var result = await CommandAsync("join", new JsonObject { ["signaling"] = signalUrl.ToString(), ["room"] = room, ["password"] = password });
        return result["peerId"]?.GetValue<string>() ?? throw new InvalidOperationException($"{Name}: y-webrtc opened no room\n{Log}");
    }

    public Task InsertAsync(int index, string text) =>
        CommandAsync("insert", new JsonObject { ["index"] = index, ["text"] = text });

    public async Task<string> TextAsync() => (await CommandAsync("text", []))["text"]!.GetValue<string>();

    /// <summary>Waits for a <c>peers</c> event naming <paramref name="peerId"/> among the WebRTC peers.</summary>
    public Task WaitForPeerAsync(string peerId, TimeSpan within) =>
        WaitForEventAsync("peers", e => e["webrtcPeers"] is JsonArray peers && peers.Any(p => p?.GetValue<string>() == peerId), within);

    /// <summary>Waits for y-webrtc's <c>synced</c> event: a sync step 2 arrived over every WebRTC connection it has.</summary>
    public Task WaitForSyncedAsync(TimeSpan within) =>
        WaitForEventAsync("synced", e => e["synced"]?.GetValue<bool>() == true, within);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // it would not close in time: killed below
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    public override string ToString() => $"browser {Name}";

    private async Task<JsonObject> CommandAsync(string command, JsonObject fields)
    {
        var id = Interlocked.Increment(ref _nextId);
        fields["id"] = id;
        fields["cmd"] = command;
        await _process.StandardInput.WriteLineAsync(fields.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var reply = await WaitForLineAsync(l => l["reply"] is JsonValue r && r.GetValueKind() == JsonValueKind.Number && r.GetValue<int>() == id, CommandTimeout, $"the reply to {command}");
        return reply["ok"]?.GetValue<bool>() == true
            ? reply["result"] as JsonObject ?? []
            : throw new InvalidOperationException($"{Name} refused {command}: {reply["error"]}\n{Log}");
    }

    private Task<JsonObject> WaitForEventAsync(string name, Func<JsonObject, bool> match, TimeSpan within) =>
        WaitForLineAsync(l => l["event"]?.GetValue<string>() == name && match(l), within, $"a {name} event");

    private async Task<JsonObject> WaitForLineAsync(Func<JsonObject, bool> match, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            lock (_gate)
            {
                if (_lines.FirstOrDefault(match) is { } found)
                {
                    return found;
                }
            }

            if (clock.Elapsed > within || _process.HasExited)
            {
                throw new TimeoutException($"{Name}: no {what} within {within.TotalSeconds} s{(_process.HasExited ? " (the driver exited)" : "")}\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            Append(line);
            JsonObject? parsed = null;
            try
            {
                parsed = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                // kept in the log only
            }

            if (parsed is not null)
            {
                lock (_gate)
                {
                    _lines.Add(parsed);
                }
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            // Text events repeat the whole document: keep the log readable.
            _log.AppendLine(line.Length > 400 ? line[..400] + "..." : line);
        }
    }
}
