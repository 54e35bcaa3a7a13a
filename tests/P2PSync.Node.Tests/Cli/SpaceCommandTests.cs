using System.Text.RegularExpressions;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

/// <summary>space, doc --space, invite and join verbs: on the store without a node, and through a running node's API.</summary>
public sealed class SpaceCommandTests
{
    [Fact]
    public async Task SpaceVerbs_OnTheStore_NewListMembersAndDocuments()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);

        var created = await Run(env, dir.Path, "space", "new", "team");
        var id = LastLine(created);
        var doc = LastLine(await Run(env, dir.Path, "doc", "new", "plan", "--space", "team"));
        var list = await Run(env, dir.Path, "space", "list");
        var members = await Run(env, dir.Path, "space", "members", id[..6]);
        var docs = await Run(env, dir.Path, "doc", "list");

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Contains("created space \"team\"", created.Output, StringComparison.Ordinal);
        var lines = Lines(list);
        Assert.Matches("^ID +NAME +ROLE +MEMBERS +KEY EPOCH +DOCS$", lines[0]);
        Assert.Matches("^[0-9a-f]{8} +personal +owner +1 +0 +0 +personal$", lines[1]);
        Assert.Matches($"^{id[..8]} +team +owner +1 +0 +1$", lines[2]);
        Assert.Matches("this device$", Lines(members)[^1]);
        Assert.Equal($"{doc}\tplan\tteam ({id[..8]})\n", docs.Output);
        var status = await Run(env, dir.Path, "status");
        Assert.Contains("spaces (2)", status.Output, StringComparison.Ordinal);
        Assert.Contains($"  {id[..8]} team: owner, 1 member\n", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpaceVerbs_AddRoleRemove_SayWhatHappened()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        using var mine = DeviceKey.Generate();
        await Run(env, dir.Path, "peer", "add", mine.Id.ToString());
        LastLine(await Run(env, dir.Path, "space", "new", "team"));
        await Run(env, dir.Path, "space", "role", "team", mine.Id.ToString(), "viewer");

        var role = await Run(env, dir.Path, "space", "role", "team", mine.Id.ToString()[..8], "editor");
        var members = await Run(env, dir.Path, "space", "members", "team");
        var removed = await Run(env, dir.Path, "space", "remove", "team", mine.Id.ToString());
        var added = await Run(env, dir.Path, "space", "add", "team", mine.Id.ToString(), "--role", "viewer");

        Assert.Contains("is now editor in space \"team\"", role.Output, StringComparison.Ordinal);
        // Device ids may end in a Crockford check symbol such as '$' or '*': escape them in patterns.
        Assert.Matches($"{Regex.Escape(mine.Id.ToString())} +editor +trusted", members.Output);
        Assert.Contains("rotated the space key to epoch 1", removed.Output, StringComparison.Ordinal);
        Assert.Contains("cannot read anything written from now on", removed.Output, StringComparison.Ordinal);
        Assert.Contains("as viewer", added.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpaceVerbs_Refusals_ExitCodesAndOneLine()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        using var stranger = DeviceKey.Generate();
        LastLine(await Run(env, dir.Path, "space", "new", "team"));
        var before = (await Run(env, dir.Path, "space", "list")).Output;

        await Refused(env, dir.Path, 2, "is not a role", "space", "add", "team", stranger.Id.ToString(), "--role", "boss");
        await Refused(env, dir.Path, 1, "not known here", "space", "add", "team", stranger.Id.ToString(), "--role", "viewer");
        await Refused(env, dir.Path, 2, "not a device id", "space", "add", "team", "nope", "--role", "viewer");
        await Refused(env, dir.Path, 1, "no space has the id or name", "space", "members", "nowhere");
        await Refused(env, dir.Path, 1, "not a member", "space", "remove", "team", stranger.Id.ToString());
        await Refused(env, dir.Path, 1, "without an owner", "space", "role", "team", (await OwnIdAsync(env, dir.Path))[..8], "viewer");
        await Refused(env, dir.Path, 2, "space name", "space", "new", new string('x', 300));
        await Refused(env, dir.Path, 1, "no space has the id or name", "doc", "new", "x", "--space", "nowhere");

        Assert.Equal(before, (await Run(env, dir.Path, "space", "list")).Output);
    }

    [Fact]
    public async Task Invite_OnTheStore_NeedsAnAddress_ThenPrintsLinkAndCodeLast()
    {
        using var dir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(dir.Path);
        var space = LastLine(await Run(env, dir.Path, "space", "new", "team"));

        await Refused(env, dir.Path, 1, "start the node with `p2psync up` or give --address", "invite", "team", "--role", "editor");
        await Refused(env, dir.Path, 2, "at most 30d", "invite", "team", "--role", "editor", "--expires", "31d", "--address", "127.0.0.1:7420");
        await Refused(env, dir.Path, 2, "editor or viewer", "invite", "team", "--role", "owner", "--address", "127.0.0.1:7420");
        await Refused(env, dir.Path, 2, "host:port", "invite", "team", "--role", "editor", "--address", "nohost");
        await Refused(env, dir.Path, 1, "personal space", "invite", "personal", "--role", "editor", "--address", "127.0.0.1:7420");
        var invite = await Run(env, dir.Path, "invite", "team", "--role", "viewer", "--expires", "2h", "--address", "127.0.0.1:7420", "--address", "[::1]:7420");

        var lines = Lines(invite);
        var code = InviteCodec.Decode(lines[^1]);
        Assert.Equal(InviteCodec.UrlPrefix + lines[^1], lines[^2]);
        Assert.Equal(space, Convert.ToHexStringLower(code.SpaceId));
        Assert.Equal(InviteRole.Viewer, code.Role);
        Assert.Equal(["127.0.0.1:7420", "[::1]:7420"], code.InviterAddresses);
        Assert.InRange(code.ExpiresAt, DateTimeOffset.UtcNow.AddHours(2).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(2).AddMinutes(1));
    }

    [Fact]
    public async Task InviteAndJoin_ThroughRunningNodes_AndJoinWithoutANode()
    {
        await using var inviter = await TestNode.StartAsync(listen: true, seed: 1);
        await using var joiner = await TestNode.StartAsync(listen: true, seed: 2);
        using var offline = new TempDirectory();
        var address = $"127.0.0.1:{inviter.Host.ListenPort}";
        var inviterEnv = CliRun.EmptyEnvironment(inviter.DataDirectory);
        var space = LastLine(await Run(inviterEnv, inviter.DataDirectory, "space", "new", "team"));
        var forRunning = LastLine(await Run(inviterEnv, inviter.DataDirectory, "invite", "team", "--role", "editor", "--address", address));
        var forOffline = Lines(await Run(inviterEnv, inviter.DataDirectory, "invite", space[..8], "--role", "viewer", "--address", address))[^2];

        var joined = await Run(CliRun.EmptyEnvironment(joiner.DataDirectory), joiner.DataDirectory, "join", forRunning);
        var joinedOffline = await Run(CliRun.EmptyEnvironment(offline.Path), offline.Path, "join", forOffline);

        Assert.Contains($"joined space \"team\" {space} as editor", joined.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("when it starts", joined.Output, StringComparison.Ordinal);
        Assert.Equal("editor", joiner.Host.Spaces.Resolve(space).Log.RoleOf(joiner.Host.Spaces.Self)?.ToString().ToLowerInvariant());
        Assert.Contains($"joined space \"team\" {space} as viewer", joinedOffline.Output, StringComparison.Ordinal);
        Assert.Contains("the node syncs the space's documents when it starts", joinedOffline.Output, StringComparison.Ordinal);
        Assert.Matches($"^{space[..8]} +team +viewer ", Lines(await Run(CliRun.EmptyEnvironment(offline.Path), offline.Path, "space", "list"))[2]);
        var peers = await Run(inviterEnv, inviter.DataDirectory, "peers");
        Assert.Contains("members of shared spaces", peers.Output, StringComparison.Ordinal);
        Assert.True(
            Regex.IsMatch(peers.Output, $"{Regex.Escape(joiner.Host.DeviceId)} +team "),
            $"the joiner should be listed as a member of team:\n{peers.Output}");
    }

    [Fact]
    public async Task Join_TypoOrUsedCode_IsRefusedWithTheCodecsMessage()
    {
        await using var inviter = await TestNode.StartAsync(listen: true, seed: 1);
        using var joinerDir = new TempDirectory();
        var env = CliRun.EmptyEnvironment(inviter.DataDirectory);
        LastLine(await Run(env, inviter.DataDirectory, "space", "new", "team"));
        var code = LastLine(await Run(env, inviter.DataDirectory, "invite", "team", "--role", "editor", "--address", $"127.0.0.1:{inviter.Host.ListenPort}"));
        var typo = code[..7] + (code[7] == 'Q' ? 'R' : 'Q') + code[8..];

        var refused = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(joinerDir.Path), "join", typo, "--data", joinerDir.Path);

        Assert.Equal(2, refused.ExitCode);
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(refused.Output);
        var empty = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(joinerDir.Path), "join", "", "--data", joinerDir.Path);
        Assert.Equal(2, empty.ExitCode);
    }

    private static async Task<string> OwnIdAsync(Node.Hosting.NodeEnvironment env, string data) =>
        (await Run(env, data, "id")).Output.Trim().Split('\n')[^1].Trim();

    private static async Task<CliRun> Run(Node.Hosting.NodeEnvironment env, string data, params string[] args)
    {
        var run = await CliRun.InvokeAsync(env, [.. args, "--data", data]);
        Assert.True(run.ExitCode == 0, $"p2psync {string.Join(' ', args)} exited {run.ExitCode}: {run.Error}");
        return run;
    }

    private static async Task Refused(Node.Hosting.NodeEnvironment env, string data, int exitCode, string fragment, params string[] args)
    {
        var run = await CliRun.InvokeAsync(env, [.. args, "--data", data]);
        Assert.True(run.ExitCode == exitCode, $"p2psync {string.Join(' ', args)}: expected exit {exitCode}, got {run.ExitCode}: {run.Error}");
        Assert.Contains(fragment, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string LastLine(CliRun run) => Lines(run)[^1];

    private static List<string> Lines(CliRun run) => [.. run.Output.Split('\n').Where(l => l.Length > 0)];
}
