using System.CommandLine;
using System.Globalization;
using P2PSync.Node.Api;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync handoff list|offer|accept|decline|pull</c> through the running node. offer, accept
/// and pull wait for the end and print progress unless <c>--no-wait</c>; they exit non-zero with
/// the reason when the handoff is declined, expires or fails.
/// </summary>
internal static class HandoffCommand
{
    private const string Feature = "handoff";

    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("handoff", "Continue an activity on another device, or let another device continue ours.");
        command.Add(List(dataOption, environment));
        command.Add(Offer(dataOption, environment));
        command.Add(Accept(dataOption, environment));
        command.Add(Decline(dataOption, environment));
        command.Add(Pull(dataOption, environment));
        return command;
    }

    private static Option<bool> NoWaitOption() => new("--no-wait") { Description = "Print the handoff id and return at once instead of waiting for the end." };

    private static Command List(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("list", "Show handoffs (offers waiting, transfers, results) and what connected devices are doing.");
        RunningNodeVerb.SetAction(command, dataOption, environment, Feature, async (client, args, output, ct) =>
        {
            var list = await client.ListHandoffsAsync(ct).ConfigureAwait(false);
            await WriteAsync(list, output).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Offer(Option<string?> dataOption, NodeEnvironment environment)
    {
        var toOption = new Option<string>("--to") { Description = "The trusted, connected device to offer our activity to (DeviceId).", Required = true };
        var noWait = NoWaitOption();
        var command = new Command("offer", "Offer this device's activity to another device; waits until it is taken, declined or expires.") { toOption, noWait };
        RunningNodeVerb.SetAction(command, dataOption, environment, Feature, (client, args, output, ct) =>
            StartAsync(client, !args.GetValue(noWait), c => c.OfferHandoffAsync(args.GetRequiredValue(toOption), ct), output, ct));
        return command;
    }

    private static Command Accept(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("id") { Description = "The offer's handoff id (see `p2psync handoff list`)." };
        var noWait = NoWaitOption();
        var command = new Command("accept", "Accept an offered activity; waits until it is resumed here.") { id, noWait };
        RunningNodeVerb.SetAction(command, dataOption, environment, Feature, (client, args, output, ct) =>
            StartAsync(client, !args.GetValue(noWait), c => c.AcceptHandoffAsync(args.GetRequiredValue(id), ct), output, ct));
        return command;
    }

    private static Command Decline(Option<string?> dataOption, NodeEnvironment environment)
    {
        var id = new Argument<string>("id") { Description = "The offer's handoff id." };
        var reasonOption = new Option<string?>("--reason") { Description = "Why, for the offering device (default: declined)." };
        var command = new Command("decline", "Decline an offered activity.") { id, reasonOption };
        RunningNodeVerb.SetAction(command, dataOption, environment, Feature, async (client, args, output, ct) =>
        {
            var declined = await client.DeclineHandoffAsync(args.GetRequiredValue(id), args.GetValue(reasonOption), ct).ConfigureAwait(false);
            await output.WriteLineAsync($"declined {declined.Id}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pull(Option<string?> dataOption, NodeEnvironment environment)
    {
        var device = new Argument<string>("device") { Description = "The trusted, connected device whose activity to continue here (DeviceId)." };
        var noWait = NoWaitOption();
        var command = new Command("pull", "Continue another device's activity here; waits until it is resumed.") { device, noWait };
        RunningNodeVerb.SetAction(command, dataOption, environment, Feature, (client, args, output, ct) =>
            StartAsync(client, !args.GetValue(noWait), c => c.PullHandoffAsync(args.GetRequiredValue(device), ct), output, ct));
        return command;
    }

    /// <summary>Subscribes first (when waiting), so not even an immediate answer is missed, then starts the handoff.</summary>
    private static async Task<int> StartAsync(ApiNodeClient client, bool wait, Func<ApiNodeClient, Task<HandoffStartedView>> start, TextWriter output, CancellationToken cancellationToken)
    {
        if (!wait)
        {
            var started = await start(client).ConfigureAwait(false);
            await output.WriteLineAsync(started.Id).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        await using var events = await client.OpenHandoffEventsAsync(cancellationToken).ConfigureAwait(false);
        var handoff = await start(client).ConfigureAwait(false);
        await output.WriteLineAsync($"handoff {handoff.Id}").ConfigureAwait(false);
        return await HandoffWaiter.FollowAsync(events, handoff.Id, output, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HandoffListView list, TextWriter output)
    {
        if (list.Handoffs.Count == 0)
        {
            await output.WriteLineAsync("no handoffs").ConfigureAwait(false);
        }
        else
        {
            var table = new TextTable("ID", "DIRECTION", "KIND", "PEER", "STATE", "BYTES", "REASON");
            foreach (var h in list.Handoffs)
            {
                table.Add(h.Id, h.Direction, h.Kind, h.Peer, h.State, string.Create(CultureInfo.InvariantCulture, $"{h.BytesDone}/{h.BytesTotal}"), h.Reason ?? "-");
            }

            await table.WriteAsync(output).ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        if (list.Activities.Count == 0)
        {
            await output.WriteLineAsync("no activities from connected devices").ConfigureAwait(false);
            return;
        }

        var activities = new TextTable("DEVICE", "NAME", "VERSION", "DOCUMENTS", "HANDED OFF TO");
        foreach (var a in list.Activities)
        {
            var docs = a.Documents.Count == 0 ? "-" : string.Join(", ", a.Documents.Select(d => $"{d.Name} ({d.Id})"));
            activities.Add(a.DeviceId, a.Name ?? "-", a.Version.ToString(CultureInfo.InvariantCulture), docs, a.HandedOffTo ?? "-");
        }

        await activities.WriteAsync(output).ConfigureAwait(false);
    }
}
