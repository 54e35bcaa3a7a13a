using System.CommandLine;
using System.Globalization;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync peers</c>: the trusted devices with their online state and, for online ones, the
/// documents they have open; <c>--nearby</c>: every device the running node sees on the LAN
/// (mDNS), trusted or not.
/// </summary>
internal static class PeersCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var nearbyOption = new Option<bool>("--nearby") { Description = "Devices the running node sees on the LAN, trusted or not (needs `p2psync up`)." };
        var command = new Command("peers", "Show trusted devices and members of shared spaces, whether they are online and what they have open; --nearby shows devices found on the LAN.") { nearbyOption };
        command.SetAction((parseResult, cancellationToken) => VerbRunner.RunAsync(
            parseResult,
            async (output, ct) =>
            {
                var data = DataDirectory.Resolve(parseResult.GetValue(dataOption), environment);
                if (parseResult.GetValue(nearbyOption))
                {
                    await WriteNearbyAsync(data, output, ct).ConfigureAwait(false);
                }
                else
                {
                    await WriteTrustedAsync(data, output, ct).ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            },
            cancellationToken));
        return command;
    }

    private static async Task WriteNearbyAsync(string data, TextWriter output, CancellationToken cancellationToken)
    {
        var nearby = await NearbyQuery.FetchAsync(data, cancellationToken).ConfigureAwait(false);
        if (nearby.Count == 0)
        {
            await output.WriteLineAsync("no devices nearby").ConfigureAwait(false);
            return;
        }

        var table = new TextTable("NAME", "DEVICE", "ENDPOINTS", "TRUSTED", "LAST SEEN");
        foreach (var device in nearby)
        {
            table.Add(device.Name, device.DeviceId, string.Join(',', device.Endpoints), device.Trusted ? "yes" : "no", device.LastSeen.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture));
        }

        await table.WriteAsync(output).ConfigureAwait(false);
    }

    private static async Task WriteTrustedAsync(string data, TextWriter output, CancellationToken cancellationToken)
    {
        await using var client = await NodeClients.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        var peers = await client.ListPeersAsync(cancellationToken).ConfigureAwait(false);
        var trusted = peers.Where(p => p.Trusted).ToList();
        var members = peers.Where(p => !p.Trusted).ToList();

        // Without a running node nobody is connected; say so rather than print "offline" for all.
        var running = client is ApiNodeClient;
        if (trusted.Count == 0)
        {
            await output.WriteLineAsync("no trusted devices (add one with `p2psync peer add`)").ConfigureAwait(false);
        }
        else
        {
            var table = new TextTable("NAME", "DEVICE", "STATE", "OPEN", "ADDRESSES", "LAST SEEN");
            foreach (var peer in trusted)
            {
                table.Add(peer.Name ?? "-", peer.DeviceId, State(peer, running), Open(peer), Addresses(peer), LastSeen(peer));
            }

            await table.WriteAsync(output).ConfigureAwait(false);
        }

        // Other people's devices in spaces shared with this one: a table of their own, so nobody
        // mistakes a collaborator for one of their own devices.
        if (members.Count > 0)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync("members of shared spaces (not your devices)").ConfigureAwait(false);
            var table = new TextTable("NAME", "DEVICE", "SPACES", "STATE", "ADDRESSES", "LAST SEEN");
            foreach (var peer in members)
            {
                table.Add(peer.Name ?? "-", peer.DeviceId, string.Join(", ", peer.Spaces ?? []), State(peer, running), Addresses(peer), LastSeen(peer));
            }

            await table.WriteAsync(output).ConfigureAwait(false);
        }
    }

    private static string State(Api.PeerView peer, bool running) => !running ? "node not running" : peer.Connected ? "online" : "offline";

    private static string Addresses(Api.PeerView peer) => peer.Addresses.Count == 0 ? "-" : string.Join(',', peer.Addresses);

    private static string LastSeen(Api.PeerView peer) =>
        peer.LastSeenMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u", CultureInfo.InvariantCulture) : "never";

    /// <summary>"trusted" for the user's own devices, else the spaces the member shares with this device.</summary>
    internal static string Kind(Api.PeerView peer) =>
        peer.Trusted ? "trusted" : $"member of {(peer.Spaces is { Count: > 0 } spaces ? string.Join(", ", spaces) : "a shared space")}";

    /// <summary>The documents an online peer has open, by name (the id when it has none), or "-".</summary>
    internal static string Open(Api.PeerView peer) =>
        peer.Connected && peer.Open is { Count: > 0 } open
            ? string.Join(", ", open.Select(d => string.IsNullOrEmpty(d.Name) ? d.Id : $"{d.Name} ({d.Id})"))
            : "-";
}
