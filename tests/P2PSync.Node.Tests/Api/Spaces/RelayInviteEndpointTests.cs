using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Security.Invites;

namespace P2PSync.Node.Tests.Api.Spaces;

/// <summary>The relay fields of POST /api/spaces/{id}/invites (relayOnly) and POST /api/join (relay).</summary>
public sealed class RelayInviteEndpointTests
{
    [Fact]
    public async Task RelayOnly_OnANodeWithoutARelay_Is400_AndTheLogIsUntouched()
    {
        await using var node = await TestNode.StartAsync(listen: true);
        var team = await node.NewSpaceAsync("team");
        var entries = node.Host.Spaces.Resolve(team.Id).Log.Entries.Count;

        await SpaceApi.ExpectErrorAsync(
            await node.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("editor", null, null, RelayOnly: true)), HttpStatusCode.BadRequest, "needs a relay");

        Assert.Empty(node.Host.Spaces.InvitesOf(node.Host.Spaces.Resolve(team.Id).Id));
        Assert.Equal(entries, node.Host.Spaces.Resolve(team.Id).Log.Entries.Count);

        // Without a relay an ordinary invite opens nothing in the log.
        var invite = await SpaceApi.ExpectAsync<InviteView>(await node.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("editor")), HttpStatusCode.OK);
        Assert.NotEmpty(InviteCodec.Decode(invite.Code).InviterAddresses);
        Assert.Empty(node.Host.Spaces.Resolve(team.Id).Log.Invites);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:9")]
    [InlineData("not a url")]
    [InlineData("/relative")]
    public async Task Join_WithABadRelay_Is400(string relay)
    {
        await using var inviter = await TestNode.StartAsync(listen: true, seed: 1);
        await using var joiner = await TestNode.StartAsync(listen: true, seed: 2);
        var team = await inviter.NewSpaceAsync("team");
        var invite = await SpaceApi.ExpectAsync<InviteView>(await inviter.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("editor")), HttpStatusCode.OK);

        await SpaceApi.ExpectErrorAsync(await joiner.Http.PostAsJsonAsync("api/join", new JoinInviteRequest(invite.Code, relay)), HttpStatusCode.BadRequest, "http(s)://");
        Assert.Null(joiner.Host.Spaces.Find(inviter.Host.Spaces.Resolve(team.Id).Id));
    }
}
