using System.CommandLine;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync up</c>: runs the node until Ctrl-C (or SIGTERM): peers on <c>--port</c>, the local API
/// on 127.0.0.1:<c>--api-port</c>, LAN discovery over mDNS unless <c>--no-mdns</c>, WebRTC to space members through the relay unless <c>--no-webrtc</c>. Prints what it bound on stdout (one "key value" line each, for
/// scripts and tests) and logs to stderr; shuts down gracefully and closes the store.
/// </summary>
internal static class UpCommand
{

    /// <summary>The TCP port peers dial when <c>--port</c> is not given.</summary>
    public const int DefaultPort = 7420;

    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var portOption = new Option<int>("--port")
        {
            Description = $"TCP port for peers, IPv4 and IPv6 (0 = any free port; default {DefaultPort}).",
            DefaultValueFactory = _ => DefaultPort,
        };
        var apiPortOption = new Option<int>("--api-port")
        {
            Description = "Port of the local API on 127.0.0.1 (0 = any free port, the default; the URL is printed and written to api.json).",
            DefaultValueFactory = _ => 0,
        };
        var nameOption = new Option<string?>("--name") { Description = "Name this device tells its peers (default: host name)." };
        var verboseOption = new Option<bool>("--verbose") { Description = "Log debug details (dial attempts, tie-breaks)." };
        var noMdnsOption = new Option<bool>("--no-mdns") { Description = "Do not announce this node or look for others on the LAN (mDNS); peers are then dialed only at their stored addresses." };
        var offerTimeoutOption = new Option<int>("--offer-timeout")
        {
            Description = "Seconds a handoff offer waits for an answer, and a handoff may go without hearing from the peer, before it fails (default 60).",
            DefaultValueFactory = _ => 60,
        };
        var relayOption = new Option<string?>("--relay") { Description = "A relay (http://HOST:PORT) whose mailbox carries sealed changes to space members that are not connected directly." };
        var noWebRtcOption = new Option<bool>("--no-webrtc") { Description = "Do not connect to space members over WebRTC through the relay's signalling (the mailbox stays the fallback)." };
        var webRtcBindOption = new Option<string[]>("--webrtc-bind")
        {
            Description = "An IP address WebRTC gathers host candidates on (repeatable; default: every non-loopback interface).",
            AllowMultipleArgumentsPerToken = false,
        };
        var stunOption = new Option<string?>("--stun") { Description = "A STUN server (IP:PORT) WebRTC asks for this device's public address, for peers behind other NATs (default: none; host candidates only)." };
        var command = new Command("up", "Run the node until Ctrl-C: sync with trusted peers over the LAN and serve the local API.");
        command.Add(portOption);
        command.Add(apiPortOption);
        command.Add(nameOption);
        command.Add(verboseOption);
        command.Add(noMdnsOption);
        command.Add(offerTimeoutOption);
        command.Add(relayOption);
        command.Add(noWebRtcOption);
        command.Add(webRtcBindOption);
        command.Add(stunOption);
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, _) =>
            {
                var port = parseResult.GetValue(portOption);
                var apiPort = parseResult.GetValue(apiPortOption);
                if (port is < 0 or > 65535 || apiPort is < 0 or > 65535)
                {
                    throw new CommandFailedException(ExitCodes.BadInput, "--port and --api-port take a number from 0 to 65535");
                }

                var offerTimeout = parseResult.GetValue(offerTimeoutOption);
                if (offerTimeout is < 1 or > 86_400)
                {
                    throw new CommandFailedException(ExitCodes.BadInput, "--offer-timeout takes a number of seconds from 1 to 86400");
                }

                Uri? relay = null;
                if (parseResult.GetValue(relayOption) is { } relayText)
                {
                    // The same rules as a stored relay (`relay add`), so a URL `up` takes can also be stored.
                    try
                    {
                        relay = new Uri(Storage.RelayUrls.Normalise(relayText), UriKind.Absolute);
                    }
                    catch (Storage.InvalidStoreInputException ex)
                    {
                        throw new CommandFailedException(ExitCodes.BadInput, $"--relay: {ex.Message}", ex);
                    }
                }

                var webRtc = parseResult.GetValue(noWebRtcOption) ? null : new WebRtcNodeOptions { BindAddresses = WebRtcBindAddresses(parseResult.GetValue(webRtcBindOption)), StunServer = StunServer(parseResult.GetValue(stunOption)) };
                var options = new NodeOptions
                {
                    WebRtc = webRtc,
                    Relay = relay,
                    DataDirectory = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment),
                    ListenPort = port,
                    ApiPort = apiPort,
                    DeviceName = parseResult.GetValue(nameOption) ?? Environment.MachineName,
                    Mdns = parseResult.GetValue(noMdnsOption) ? null : new MdnsSettings(),
                    Handoff = new HandoffOptions { OfferTimeout = TimeSpan.FromSeconds(offerTimeout) },
                };
                // Two nodes on one data directory would be one device twice, racing on one store.
                if (ApiEndpointFile.ReadLive(options.DataDirectory) is { } running)
                {
                    await using var probe = new Client.ApiNodeClient(new Uri(running.Url));
                    if (await probe.IsReachableAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new CommandFailedException(ExitCodes.Failure, $"a node is already running for {options.DataDirectory} (pid {running.Pid}, api {running.Url})");
                    }
                }

                var error = parseResult.InvocationConfiguration.Error;
                var level = parseResult.GetValue(verboseOption) ? LogLevel.Debug : LogLevel.Information;
                using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(level).AddProvider(new TextWriterLoggerProvider(error, TimeProvider.System, level)));
                await using var host = await NodeHost.StartAsync(options, TimeProvider.System, random: null, loggers, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"device {host.DeviceId}").ConfigureAwait(false);
                await output.WriteLineAsync($"store {host.StorePath}").ConfigureAwait(false);
                await output.WriteLineAsync($"port {host.ListenPort}").ConfigureAwait(false);
                await output.WriteLineAsync(host.MdnsRunning ? $"mdns {host.MdnsInstanceName ?? "browse-only"}" : "mdns off").ConfigureAwait(false);
                await output.WriteLineAsync($"api {host.ApiUrl}").ConfigureAwait(false);
                if (host.RelayMailbox is { } mailbox)
                {
                    await output.WriteLineAsync($"relay {mailbox}").ConfigureAwait(false);
                }

                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                loggers.CreateLogger("node").LogInformation("up: device {Device}, peers on port {Port}, api {Api}; Ctrl-C stops", host.DeviceId[..8], host.ListenPort, host.ApiUrl);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C / SIGTERM: fall through to the graceful shutdown of `await using`.
                }

                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

    /// <summary>The --stun endpoint, or null when not given. An IP address, not a name: the node resolves no names for WebRTC.</summary>
    private static System.Net.IPEndPoint? StunServer(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!System.Net.IPEndPoint.TryParse(text, out var endPoint) || endPoint.Port == 0)
        {
            throw new CommandFailedException(ExitCodes.BadInput, $"--stun takes IP:PORT (e.g. 192.0.2.10:3478 or [2001:db8::1]:3478), not \"{text}\"");
        }

        return endPoint;
    }

    /// <summary>The --webrtc-bind addresses, or null (every non-loopback interface) when none were given.</summary>
    private static IReadOnlyList<System.Net.IPAddress>? WebRtcBindAddresses(string[]? texts)
    {
        if (texts is null || texts.Length == 0)
        {
            return null;
        }

        var addresses = new List<System.Net.IPAddress>(texts.Length);
        foreach (var text in texts)
        {
            if (!System.Net.IPAddress.TryParse(text, out var address))
            {
                throw new CommandFailedException(ExitCodes.BadInput, $"--webrtc-bind takes an IP address, not \"{text}\"");
            }

            addresses.Add(address);
        }

        return addresses;
    }
}
