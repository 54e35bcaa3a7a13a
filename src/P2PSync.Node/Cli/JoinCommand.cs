using System.CommandLine;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary><c>p2psync join CODE</c>: redeems an invite (code or link) with its inviter, through the running node or straight from the store.</summary>
internal static class JoinCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var code = new Argument<string>("code") { Description = "The invite code or p2psync://join/ link you were given." };
        var relay = new Option<string?>("--relay") { Description = "A relay (http://HOST:PORT) to claim the invite from when the inviter is offline (default: the running node's relay)." };
        var command = new Command("join", "Join a space with an invite code: contacts the inviter, proves the code and receives the space.") { code, relay };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            Uri? relayUrl = null;
            if (args.GetValue(relay) is { } relayText
                && (!Uri.TryCreate(relayText, UriKind.Absolute, out relayUrl) || relayUrl.Scheme is not ("http" or "https" or "ws" or "wss")))
            {
                throw new CommandFailedException(ExitCodes.BadInput, $"--relay takes an http(s):// or ws(s):// URL, not \"{relayText}\"");
            }

            var joined = await client.JoinAsync(args.GetRequiredValue(code), relayUrl, ct).ConfigureAwait(false);
            var inviter = string.IsNullOrEmpty(joined.InviterName) ? joined.Inviter[..8] : $"{joined.InviterName} ({joined.Inviter[..8]})";
            await output.WriteLineAsync($"joined space \"{joined.Name}\" {joined.SpaceId} as {joined.Role}, invited by {inviter}").ConfigureAwait(false);
            if (client is not ApiNodeClient)
            {
                await output.WriteLineAsync("the node syncs the space's documents when it starts (`p2psync up`)").ConfigureAwait(false);
            }
        });
        return command;
    }
}
