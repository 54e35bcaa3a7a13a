using System.CommandLine;
using System.Globalization;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync invite SPACE --role editor|viewer [--expires 24h] [--address HOST:PORT ...]</c>: a
/// one-time code for someone else's device. Prints the <c>p2psync://join/</c> link, then the code
/// alone on the last line, so a script can take either.
/// </summary>
internal static class InviteCommand
{
    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var space = new Argument<string>("space") { Description = "The space: its id, a unique prefix of it or its unique name." };
        var role = new Option<string>("--role") { Description = "What the joiner may do: editor or viewer.", Required = true };
        var expires = new Option<string?>("--expires") { Description = "How long the code works: a number with s, m, h or d (default 24h, at most 30d)." };
        var addresses = new Option<string[]>("--address")
        {
            Description = "HOST:PORT where the joiner reaches this node; repeat for more. Default: where the running node listens.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var relayOnly = new Option<bool>("--relay-only") { Description = "Put no address in the code: the joiner claims it from the package the running node leaves on its relay." };
        var command = new Command("invite", "Invite another person's device into a space with a one-time code; only an owner can.") { space, role, expires, addresses, relayOnly };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var invite = await client.CreateInviteAsync(
                args.GetRequiredValue(space), args.GetRequiredValue(role), args.GetValue(expires), args.GetValue(addresses) ?? [], args.GetValue(relayOnly), ct).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"one-time invite as {args.GetRequiredValue(role).ToLowerInvariant()}, valid until {invite.ExpiresAt.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)}; on the other device run `p2psync join CODE`").ConfigureAwait(false);
            await output.WriteLineAsync(invite.Url).ConfigureAwait(false);
            await output.WriteLineAsync(invite.Code).ConfigureAwait(false);
        });
        return command;
    }
}
