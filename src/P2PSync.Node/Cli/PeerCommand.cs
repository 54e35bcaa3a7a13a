using System.CommandLine;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync peer add|list|remove</c>: the devices this node trusts and dials.</summary>
internal static class PeerCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("peer", "Manage trusted devices.");
        command.Add(Add(dataOption, environment));
        command.Add(List(dataOption, environment));
        command.Add(Remove(dataOption, environment));
        return command;
    }

    private static Command Add(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("device-id") { Description = "The device's id (see `p2psync id` on that device)." };
        var addresses = new Option<string[]>("--addr")
        {
            Description = "Where to dial it, HOST:PORT ([v6]:PORT for IPv6). Repeat for more. Without it, we wait for the device to dial us.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("add", "Trust a device (and dial it when --addr is given).") { id, addresses };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var peer = await client.AddPeerAsync(args.GetRequiredValue(id), args.GetValue(addresses) ?? [], ct).ConfigureAwait(false);
            await output.WriteLineAsync($"trusted {peer.DeviceId}").ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("list", "List known devices: id, connected/offline, addresses, then \"trusted\" (yours) or the spaces it shares with you (tab-separated).");
        NodeVerb.SetAction(command, dataOption, environment, async (client, _, output, ct) =>
        {
            foreach (var peer in await client.ListPeersAsync(ct).ConfigureAwait(false))
            {
                var state = peer.Connected ? "connected" : "offline";
                await output.WriteLineAsync($"{peer.DeviceId}\t{state}\t{string.Join(',', peer.Addresses)}\t{PeersCommand.Kind(peer)}").ConfigureAwait(false);
            }
        });
        return command;
    }

    private static Command Remove(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("device-id") { Description = "The device to stop trusting." };
        var command = new Command("remove", "Stop trusting a device; a running node drops its connection.") { id };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            await client.RemovePeerAsync(args.GetRequiredValue(id), ct).ConfigureAwait(false);
            await output.WriteLineAsync($"removed {args.GetRequiredValue(id)}").ConfigureAwait(false);
        });
        return command;
    }
}
