using System.CommandLine;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync relay add|list|remove</c>: the relays stored for <c>up</c>, which connects to the
/// first one unless <c>--relay</c> names another for that run. Through the running node when
/// there is one, else on the store; either way a change takes effect at the next <c>up</c>.
/// </summary>
internal static class RelayCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("relay", "Manage the relays `up` uses when --relay is not given (the first one listed).");
        command.Add(Add(dataOption, environment));
        command.Add(List(dataOption, environment));
        command.Add(Remove(dataOption, environment));
        return command;
    }

    private static Command Add(Option<string?> dataOption, NodeEnvironment environment)
    {
        var url = new Argument<string>("url") { Description = "The relay's base URL, http(s)://HOST:PORT or ws(s)://HOST:PORT." };
        var command = new Command("add", "Store a relay; `up` uses the first stored relay from its next start.") { url };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var (relay, added) = await client.AddRelayAsync(args.GetRequiredValue(url), ct).ConfigureAwait(false);
            await output.WriteLineAsync(added ? $"added {relay.Url}" : $"already stored {relay.Url}").ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("list", "List stored relays, first one first: URL, then \"in use\" (the running node's mailbox) or \"stored\" (tab-separated).");
        NodeVerb.SetAction(command, dataOption, environment, async (client, _, output, ct) =>
        {
            foreach (var relay in await client.ListRelaysAsync(ct).ConfigureAwait(false))
            {
                await output.WriteLineAsync($"{relay.Url}\t{(relay.InUse ? "in use" : "stored")}").ConfigureAwait(false);
            }
        });
        return command;
    }

    private static Command Remove(Option<string?> dataOption, NodeEnvironment environment)
    {
        var url = new Argument<string>("url") { Description = "The relay to forget (any spelling of a stored URL)." };
        var command = new Command("remove", "Forget a stored relay; a running node keeps its connection until it stops.") { url };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            await client.RemoveRelayAsync(args.GetRequiredValue(url), ct).ConfigureAwait(false);
            await output.WriteLineAsync($"removed {args.GetRequiredValue(url)}").ConfigureAwait(false);
        });
        return command;
    }
}
