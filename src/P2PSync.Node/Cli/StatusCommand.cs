using System.CommandLine;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync status</c>: this device, its peers, its spaces with its role in each, and per document how each peer stands.</summary>
internal static class StatusCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("status", "Show the device, peers and per-document sync state.");
        NodeVerb.SetAction(command, dataOption, environment, async (client, _, output, ct) =>
        {
            var status = await client.StatusAsync(ct).ConfigureAwait(false);
            // Only a running node reports its pid; the store alone reports 0.
            var running = status.Pid != 0;
            await output.WriteLineAsync($"device {status.DeviceId}").ConfigureAwait(false);
            await output.WriteLineAsync(running ? $"node running (pid {status.Pid}), {(status.Port is { } port ? $"peers on port {port}" : "not listening for peers")}" : "node not running").ConfigureAwait(false);
            await output.WriteLineAsync($"peers ({status.Peers.Count})").ConfigureAwait(false);
            foreach (var peer in status.Peers)
            {
                var state = (peer.Connected ? "connected" : "offline")
                    + (peer.Path is { } path ? $" via {path}" : "")
                    + (peer.RttMs is { } rtt ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" rtt {rtt:0.0} ms") : "");
                await output.WriteLineAsync($"  {peer.DeviceId} {state} {string.Join(',', peer.Addresses)}".TrimEnd()).ConfigureAwait(false);
            }

            var spaces = await client.ListSpacesAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"spaces ({spaces.Count})").ConfigureAwait(false);
            foreach (var space in spaces)
            {
                var personal = space.Personal ? ", personal" : "";
                await output.WriteLineAsync(
                    $"  {space.Id[..SpaceCommand.ShortIdLength]} {space.Name}: {space.Role ?? "removed"}, {space.Members} member{(space.Members == 1 ? "" : "s")}{personal}").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"documents ({status.Docs.Count})").ConfigureAwait(false);
            foreach (var doc in status.Docs)
            {
                await output.WriteLineAsync($"  {doc.Id} {doc.Name}").ConfigureAwait(false);
                foreach (var (device, state) in doc.Peers.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    await output.WriteLineAsync($"    {device[..8]}: {state}").ConfigureAwait(false);
                }
            }
        });
        return command;
    }
}
