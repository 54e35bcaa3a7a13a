using System.Globalization;
using System.Reflection;
using System.Text.Json;
using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.WebRtcBench;

/// <summary>
/// Our PeerConnection behind the bench's JSON-lines protocol (bench/webrtc/README.md), the same one
/// the werift and Chromium drivers speak: commands one per stdin line, run one at a time in order,
/// one reply line each; events (candidates, open, state) in between. Side A offers, creates the
/// channel "bench" and measures; side B answers and serves (<see cref="ChannelServer"/>).
/// </summary>
internal sealed class BenchDriver(EventWriter output, TimeProvider time, Random random) : IAsyncDisposable
{
    private readonly DriverLog _log = new(time);
    private readonly CancellationTokenSource _stopping = new();
    private PeerConnection? _connection;
    private DataChannel? _channel;
    private Task _server = Task.CompletedTask;

    public async Task RunAsync(TextReader input)
    {
        output.Event("ready", json =>
        {
            json.WriteString("impl", "ours");
            json.WriteString("version", typeof(PeerConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
        });
        while (await input.ReadLineAsync() is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                await HandleLineAsync(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _stopping.Dispose();
    }

    /// <summary>Stops the server loop and closes the connection; a second call finds nothing left to do.</summary>
    private async Task CloseAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _server;
        if (_connection is { } connection)
        {
            _connection = null;
            _channel = null;
            await connection.DisposeAsync();
        }
    }

    private async Task HandleLineAsync(string line)
    {
        JsonElement? id = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var command = document.RootElement;
            if (command.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("a command is a JSON object");
            }

            id = command.TryGetProperty("id", out var idValue) ? idValue.Clone() : null;
            var name = command.TryGetProperty("cmd", out var cmd) && cmd.ValueKind == JsonValueKind.String ? cmd.GetString() : null;
            _log.Write($"command {name}");
            var result = await RunAsync(name, command);
            _log.Write($"command {name} done");
            output.Write(json =>
            {
                WriteId(json, id);
                json.WriteBoolean("ok", true);
                json.WritePropertyName("result");
                json.WriteStartObject();
                result(json);
                json.WriteEndObject();
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Write($"command failed: {e}");
            if (_connection is { } connection)
            {
                _log.Write($"stats at the failure: {DescribeStats(connection)}");
            }

            output.Write(json =>
            {
                WriteId(json, id);
                json.WriteBoolean("ok", false);
                json.WriteString("error", $"{e.GetType().Name}: {e.Message}");
            });
        }
    }

    private async Task<Action<Utf8JsonWriter>> RunAsync(string? name, JsonElement command)
    {
        switch (name)
        {
            case "offer":
            {
                var connection = Create();
                _channel = connection.CreateDataChannel("bench", new DataChannelOptions { Ordered = true });
                _ = AnnounceOpenAsync(_channel);
                var sdp = connection.CreateOffer();
                return json => Description(json, "offer", sdp);
            }

            case "answer":
            {
                var connection = Create();
                connection.DataChannelOpened += channel =>
                {
                    _channel = channel;
                    _ = AnnounceOpenAsync(channel);
                    _server = Task.Run(() => new ChannelServer(channel, output).RunAsync(_stopping.Token));
                };
                connection.SetRemoteDescription("offer", RequiredString(command, "sdp"));
                var sdp = connection.CreateAnswer();
                return json => Description(json, "answer", sdp);
            }

            case "remoteAnswer":
                Connection.SetRemoteDescription("answer", RequiredString(command, "sdp"));
                return _ => { };

            case "candidate":
            {
                var candidate = command.TryGetProperty("candidate", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : string.Empty;
                var accepted = Connection.AddRemoteCandidate(candidate);
                return json => json.WriteBoolean("accepted", accepted);
            }

            case "bulk":
            {
                var result = await new BulkTransfer(OpenChannel, time).RunAsync(
                    RequiredInt64(command, "bytes"), (int)RequiredInt64(command, "chunk"), _stopping.Token);
                return json =>
                {
                    json.WriteNumber("bytes", result.Bytes);
                    json.WriteNumber("messages", result.Messages);
                    json.WriteNumber("ms", result.Milliseconds);
                    json.WriteBoolean("inOrder", result.InOrder);
                };
            }

            case "ping":
            {
                var rtts = await new PingPong(OpenChannel, time).RunAsync(
                    (int)RequiredInt64(command, "count"), (int)RequiredInt64(command, "size"), (int)RequiredInt64(command, "warmup"), _stopping.Token);
                return json =>
                {
                    json.WriteStartArray("rtts");
                    foreach (var rtt in rtts)
                    {
                        json.WriteNumberValue(rtt);
                    }

                    json.WriteEndArray();
                };
            }

            case "stats":
            {
                var stats = Connection.GetStats();
                return json =>
                {
                    json.WriteString("dtlsCipher", "0x" + stats.DtlsCipherSuite.ToString("X4", CultureInfo.InvariantCulture));
                    json.WriteString("dtlsRole", stats.DtlsRole?.ToString());
                    json.WriteString("selectedPair", stats.SelectedPair);
                    json.WriteNumber("sctpRtoMs", stats.SctpRtoMs);
                    json.WriteNumber("sctpCongestionWindow", stats.SctpCongestionWindow);
                    json.WriteNumber("sctpPacketsDropped", stats.SctpPacketsDropped);
                    json.WriteNumber("sctpChunksRetransmitted", stats.SctpChunksRetransmitted);
                    json.WriteNumber("iceDroppedReceives", stats.IceDroppedReceives);
                    json.WriteNumber("bytesSent", stats.BytesSent);
                    json.WriteNumber("bytesReceived", stats.BytesReceived);
                };
            }

            case "close":
                await CloseAsync();
                return _ => { };

            default:
                throw new FormatException($"unknown command {JsonSerializer.Serialize(name)}");
        }
    }

    private PeerConnection Connection => _connection ?? throw new InvalidOperationException("no peer yet: send offer or answer first");

    private DataChannel OpenChannel =>
        _channel is { State: DataChannelState.Open } channel ? channel : throw new InvalidOperationException("the bench channel is not open");

    private PeerConnection Create()
    {
        if (_connection is not null || _stopping.IsCancellationRequested)
        {
            throw new InvalidOperationException("one peer per driver, and none after close");
        }

        // Every address of the namespace's veth (the default); nothing else exists in there.
        var connection = new PeerConnection(new PeerConnectionOptions(), time, random);
        connection.LocalCandidate += candidate => output.Event("candidate", json =>
        {
            json.WriteString("candidate", candidate);
            json.WriteNull("sdpMid");
            json.WriteNumber("sdpMLineIndex", 0);
        });
        connection.StateChanged += state =>
        {
            _log.Write($"connection state {state}");
            output.Event("state", json => json.WriteString("state", state.ToString()));
        };
        // Why a connection failed goes to the driver's log (bench.mjs keeps one per driver).
        _ = connection.Connected.ContinueWith(
            t => _log.Write(t.IsFaulted ? $"connection failed: {t.Exception?.GetBaseException()}; stats: {DescribeStats(connection)}" : "connected (SCTP up)"),
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
        _connection = connection;
        return connection;
    }

    private async Task AnnounceOpenAsync(DataChannel channel)
    {
        try
        {
            await channel.Opened;
            _log.Write($"{channel} open");
            output.Event("open", json =>
            {
                json.WriteString("label", channel.Label);
                json.WriteNumber("id", channel.Id);
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.Event("error", json => json.WriteString("message", $"channel did not open: {e.Message}"));
        }
    }

    /// <summary>For the log only: a connection torn down mid-failure may refuse even this.</summary>
    private static string DescribeStats(PeerConnection connection)
    {
        try
        {
            return connection.GetStats().ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"(no stats: {e.Message})";
        }
    }

    private static void Description(Utf8JsonWriter json, string type, string sdp)
    {
        json.WriteString("type", type);
        json.WriteString("sdp", sdp);
    }

    private static void WriteId(Utf8JsonWriter json, JsonElement? id)
    {
        json.WritePropertyName("reply");
        if (id is { } value)
        {
            value.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static string RequiredString(JsonElement command, string name) =>
        command.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"the command needs a string {name}");

    private static long RequiredInt64(JsonElement command, string name) =>
        command.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new FormatException($"the command needs a non-negative integer {name}");
}
