using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Security.Invites;

namespace P2PSync.Node.Tests.Api.Spaces;

/// <summary>POST /api/spaces/{id}/invites and POST /api/join, between two in-process nodes over loopback.</summary>
public sealed class InviteJoinEndpointTests
{
    [Fact]
    public async Task Invite_Defaults_24Hours_AndTheLinkCarriesTheCode()
    {
        await using var node = await TestNode.StartAsync(listen: true);
        var team = await node.NewSpaceAsync("team");
        var before = DateTimeOffset.UtcNow;

        var invite = await SpaceApi.ExpectAsync<InviteView>(
            await node.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("viewer")), HttpStatusCode.OK);
        var code = InviteCodec.Decode(invite.Code);

        Assert.Equal(InviteCodec.UrlPrefix + invite.Code, invite.Url);
        Assert.Equal(InviteRole.Viewer, code.Role);
        Assert.Equal(node.Host.DeviceId, code.Inviter.ToString());
        Assert.Equal(team.Id, Convert.ToHexStringLower(code.SpaceId));
        Assert.InRange(invite.ExpiresAt, before.AddHours(24).AddSeconds(-2), DateTimeOffset.UtcNow.AddHours(24).AddSeconds(2));
        // Without addresses in the request, the node offers where it listens.
        Assert.Contains($"127.0.0.1:{node.Host.ListenPort}", code.InviterAddresses);
    }

    [Theory]
    [InlineData("owner", null, "invite grants editor or viewer")]
    [InlineData("", null, "role is required")]
    [InlineData("editor", "31d", "at most 30d")]
    [InlineData("editor", "0h", "some time")]
    [InlineData("editor", "24", "not a duration")]
    [InlineData("editor", "1w", "not a duration")]
    [InlineData("editor", "-5m", "not a duration")]
    public async Task Invite_BadRoleOrExpiry_Is400(string role, string? expires, string fragment)
    {
        await using var node = await TestNode.StartAsync(listen: true);
        var team = await node.NewSpaceAsync("team");

        await SpaceApi.ExpectErrorAsync(
            await node.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest(role, expires)), HttpStatusCode.BadRequest, fragment);

        Assert.Empty(node.Host.Spaces.InvitesOf(node.Host.Spaces.Resolve(team.Id).Id));
    }

    [Fact]
    public async Task Invite_BadAddresses_Are400_AndANodeThatDoesNotListenNeedsOne()
    {
        await using var node = await TestNode.StartAsync(listen: false);
        var team = await node.NewSpaceAsync("team");
        var invites = $"api/spaces/{team.Id}/invites";

        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(invites, new CreateInviteRequest("editor", null, ["nohost"])), HttpStatusCode.BadRequest, "host:port");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(invites, new CreateInviteRequest("editor", null, ["h:0"])), HttpStatusCode.BadRequest, "port");
        await SpaceApi.ExpectErrorAsync(
            await node.Http.PostAsJsonAsync(invites, new CreateInviteRequest("editor", null, [.. Enumerable.Range(1, 9).Select(i => $"10.0.0.{i}:7420")])), HttpStatusCode.BadRequest, "at most 8");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(invites, new CreateInviteRequest("editor")), HttpStatusCode.Conflict, "--address");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync("api/spaces/nope/invites", new CreateInviteRequest("editor", null, ["127.0.0.1:1"])), HttpStatusCode.NotFound, "no space");

        var ok = await SpaceApi.ExpectAsync<InviteView>(await node.Http.PostAsJsonAsync(invites, new CreateInviteRequest("editor", "90m", ["127.0.0.1:7420"])), HttpStatusCode.OK);
        Assert.Equal(["127.0.0.1:7420"], InviteCodec.Decode(ok.Code).InviterAddresses);
    }

    [Fact]
    public async Task Join_ThroughTheApi_MakesTheJoinerAMember_AndTheCodeWorksOnce()
    {
        await using var inviter = await TestNode.StartAsync(listen: true, seed: 1);
        await using var joiner = await TestNode.StartAsync(listen: true, seed: 2);
        await using var third = await TestNode.StartAsync(listen: true, seed: 3);
        var team = await inviter.NewSpaceAsync("team");
        var invite = await SpaceApi.ExpectAsync<InviteView>(
            await inviter.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("editor", "1h", [$"127.0.0.1:{inviter.Host.ListenPort}"])),
            HttpStatusCode.OK);

        var joined = await SpaceApi.ExpectAsync<JoinedView>(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(invite.Url)), HttpStatusCode.OK);

        Assert.Equal(team.Id, joined.SpaceId);
        Assert.Equal("team", joined.Name);
        Assert.Equal("editor", joined.Role);
        Assert.Equal(inviter.Host.DeviceId, joined.Inviter);
        var seen = (await joiner.Http.GetFromJsonAsync<List<SpaceView>>("api/spaces"))!.Single(s => s.Id == team.Id);
        Assert.Equal("editor", seen.Role);
        var members = (await inviter.Http.GetFromJsonAsync<SpaceDetailView>($"api/spaces/{team.Id}"))!.Members;
        Assert.Equal("editor", members.Single(m => m.DeviceId == joiner.Host.DeviceId).Role);

        // One use only: a second device is refused by the inviter (let in to try only because
        // another invite is open), and the joiner is told it already belongs.
        await SpaceApi.ExpectAsync<InviteView>(
            await inviter.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("viewer", "1h", [$"127.0.0.1:{inviter.Host.ListenPort}"])),
            HttpStatusCode.OK);
        await SpaceApi.ExpectErrorAsync(await third.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(invite.Code)), HttpStatusCode.BadGateway, "already used");
        await SpaceApi.ExpectErrorAsync(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(invite.Code)), HttpStatusCode.BadGateway, "already a member");
        Assert.DoesNotContain((await third.Http.GetFromJsonAsync<List<SpaceView>>("api/spaces"))!, s => s.Id == team.Id);
    }

    [Fact]
    public async Task Join_AlteredMissingOrUnreachable_AreRefusedClearly()
    {
        await using var inviter = await TestNode.StartAsync(listen: true, seed: 1);
        await using var joiner = await TestNode.StartAsync(seed: 2);
        var team = await inviter.NewSpaceAsync("team");
        var code = (await SpaceApi.ExpectAsync<InviteView>(
            await inviter.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("viewer", null, [$"127.0.0.1:{inviter.Host.ListenPort}"])), HttpStatusCode.OK)).Code;
        var typo = code[..10] + (code[10] == 'A' ? 'B' : 'A') + code[11..];
        var unreachable = (await SpaceApi.ExpectAsync<InviteView>(
            await inviter.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("viewer", null, ["127.0.0.1:1"])), HttpStatusCode.OK)).Code;

        await SpaceApi.ExpectErrorAsync(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(typo)), HttpStatusCode.BadRequest, "");
        await SpaceApi.ExpectErrorAsync(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(code[..^3])), HttpStatusCode.BadRequest, "");
        await SpaceApi.ExpectErrorAsync(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(null)), HttpStatusCode.BadRequest, "code is required");
        await SpaceApi.ExpectErrorAsync(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest("p2psync://elsewhere/x")), HttpStatusCode.BadRequest, "p2psync://join/");
        await SpaceApi.ExpectErrorAsync(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(unreachable)), HttpStatusCode.BadGateway, "could not reach");
        await SpaceApi.ExpectErrorAsync(await inviter.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(code)), HttpStatusCode.BadGateway, "made by this device");

        Assert.Single((await joiner.Http.GetFromJsonAsync<List<SpaceView>>("api/spaces"))!);
    }
}
