using System.CommandLine;
using System.Globalization;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// <c>p2psync space new|list|members|add|remove|role</c>: spaces and their members, through the
/// running node or on the store. SPACE is a full id, a unique id prefix (4+ hex digits) or a unique name.
/// </summary>
internal static class SpaceCommand
{
    /// <summary>How much of a space id the list shows: enough to name it in later commands.</summary>
    public const int ShortIdLength = 8;

    public static Command Create(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("space", "Create spaces and manage who may read and write their documents.");
        command.Add(New(dataOption, environment));
        command.Add(List(dataOption, environment));
        command.Add(Members(dataOption, environment));
        command.Add(Add(dataOption, environment));
        command.Add(Remove(dataOption, environment));
        command.Add(Role(dataOption, environment));
        return command;
    }

    private static Argument<string> SpaceArgument() => new("space") { Description = "The space: its id, a unique prefix of it (4+ characters) or its unique name." };

    private static Argument<string> DeviceArgument() => new("device") { Description = "The device id (see `p2psync id` on that device); for members also a unique prefix." };

    private static Command New(Option<string?> dataOption, NodeEnvironment environment)
    {
        var name = new Argument<string>("name") { Description = "The space's name." };
        var command = new Command("new", "Create a space with this device and your trusted devices as owners; prints its id on the last line.") { name };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var space = await client.CreateSpaceAsync(args.GetRequiredValue(name), ct).ConfigureAwait(false);
            var others = space.Members.Count(m => !m.ThisDevice);
            await output.WriteLineAsync(
                $"created space \"{space.Name}\"; owners: this device{(others == 0 ? "" : $" and {others} trusted device{(others == 1 ? "" : "s")}")}").ConfigureAwait(false);
            await output.WriteLineAsync(space.Id).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(Option<string?> dataOption, NodeEnvironment environment)
    {
        var command = new Command("list", "List spaces: id prefix, name, this device's role, members, key epoch, documents.");
        NodeVerb.SetAction(command, dataOption, environment, async (client, _, output, ct) =>
        {
            var spaces = await client.ListSpacesAsync(ct).ConfigureAwait(false);
            var table = new TextTable("ID", "NAME", "ROLE", "MEMBERS", "KEY EPOCH", "DOCS", "");
            foreach (var space in spaces)
            {
                table.Add(
                    space.Id[..ShortIdLength],
                    space.Name,
                    space.Role ?? "removed",
                    space.Members.ToString(CultureInfo.InvariantCulture),
                    space.KeyEpoch.ToString(CultureInfo.InvariantCulture),
                    space.Documents.ToString(CultureInfo.InvariantCulture),
                    space.Personal ? "personal" : "");
            }

            await table.WriteAsync(output).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Members(Option<string?> dataOption, NodeEnvironment environment)
    {
        var space = SpaceArgument();
        var command = new Command("members", "List a space's members: device id, role, and whether it is this device or one of your trusted devices.") { space };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var detail = await client.GetSpaceAsync(args.GetRequiredValue(space), ct).ConfigureAwait(false);
            await output.WriteLineAsync($"space \"{detail.Name}\" {detail.Id}, key epoch {detail.KeyEpoch}").ConfigureAwait(false);
            await WriteMembersAsync(detail, output).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Add(Option<string?> dataOption, NodeEnvironment environment)
    {
        var space = SpaceArgument();
        var device = DeviceArgument();
        var role = RoleOption(required: true);
        var command = new Command("add", "Add a device this node knows (one of yours, or a member of a space you share) directly; only an owner can.") { space, device, role };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var detail = await client.AddMemberAsync(args.GetRequiredValue(space), args.GetRequiredValue(device), args.GetRequiredValue(role), ct).ConfigureAwait(false);
            await output.WriteLineAsync($"added {args.GetRequiredValue(device)} to space \"{detail.Name}\" as {args.GetRequiredValue(role).ToLowerInvariant()}").ConfigureAwait(false);
        });
        return command;
    }

    private static Command Remove(Option<string?> dataOption, NodeEnvironment environment)
    {
        var space = SpaceArgument();
        var device = DeviceArgument();
        var command = new Command("remove", "Remove a member and rotate the space's key: it cannot read anything written afterwards.") { space, device };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var detail = await client.RemoveMemberAsync(args.GetRequiredValue(space), args.GetRequiredValue(device), ct).ConfigureAwait(false);
            await output.WriteLineAsync($"removed {args.GetRequiredValue(device)} from space \"{detail.Name}\"").ConfigureAwait(false);
            await output.WriteLineAsync(
                $"rotated the space key to epoch {detail.KeyEpoch}: the removed device cannot read anything written from now on, and its edits are refused").ConfigureAwait(false);
        });
        return command;
    }

    private static Command Role(Option<string?> dataOption, NodeEnvironment environment)
    {
        var space = SpaceArgument();
        var device = DeviceArgument();
        var role = new Argument<string>("role") { Description = "owner, editor or viewer." };
        var command = new Command("role", "Change a member's role (owner, editor, viewer); only an owner can.") { space, device, role };
        NodeVerb.SetAction(command, dataOption, environment, async (client, args, output, ct) =>
        {
            var detail = await client.ChangeRoleAsync(args.GetRequiredValue(space), args.GetRequiredValue(device), args.GetRequiredValue(role), ct).ConfigureAwait(false);
            await output.WriteLineAsync($"{args.GetRequiredValue(device)} is now {args.GetRequiredValue(role).ToLowerInvariant()} in space \"{detail.Name}\"").ConfigureAwait(false);
        });
        return command;
    }

    internal static Option<string> RoleOption(bool required) => new("--role")
    {
        Description = "owner, editor or viewer.",
        Required = required,
    };

    private static async Task WriteMembersAsync(SpaceDetailView detail, TextWriter output)
    {
        var table = new TextTable("DEVICE", "ROLE", "");
        foreach (var member in detail.Members)
        {
            var note = member.ThisDevice ? "this device" : member.Trusted ? "trusted" : "";
            table.Add(member.DeviceId, member.Role, note);
        }

        await table.WriteAsync(output).ConfigureAwait(false);
    }
}
