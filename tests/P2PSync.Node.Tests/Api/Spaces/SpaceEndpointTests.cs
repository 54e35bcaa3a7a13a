using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;

namespace P2PSync.Node.Tests.Api.Spaces;

/// <summary>/api/spaces and its members endpoints, POST /api/docs with a space: every answer and every refusal.</summary>
public sealed class SpaceEndpointTests
{
    [Fact]
    public async Task CreateListDescribe_ByIdPrefixAndName()
    {
        await using var node = await TestNode.StartAsync();

        var team = await node.NewSpaceAsync("team");
        var list = (await node.Http.GetFromJsonAsync<List<SpaceView>>("api/spaces"))!;
        var byPrefix = await node.Http.GetFromJsonAsync<SpaceDetailView>($"api/spaces/{team.Id[..6]}");
        var byName = await node.Http.GetFromJsonAsync<SpaceDetailView>("api/spaces/team");

        Assert.Equal(32, team.Id.Length);
        Assert.Equal("owner", team.Role);
        Assert.Equal(0UL, team.KeyEpoch);
        var me = Assert.Single(team.Members);
        Assert.True(me.ThisDevice);
        Assert.Equal(node.Host.DeviceId, me.DeviceId);
        Assert.Equal(["personal", "team"], list.Select(s => s.Name));
        Assert.True(list[0].Personal);
        Assert.False(list[1].Personal);
        Assert.Equal(team.Id, byPrefix!.Id);
        Assert.Equal(team.Id, byName!.Id);
        await SpaceApi.ExpectErrorAsync(await node.Http.GetAsync("api/spaces/nowhere"), HttpStatusCode.NotFound, "no space");
        await SpaceApi.ExpectErrorAsync(await node.Http.GetAsync("api/spaces/abc"), HttpStatusCode.NotFound, "no space");
    }

    [Fact]
    public async Task NewSpace_MakesTrustedDevicesOwnersToo()
    {
        await using var node = await TestNode.StartAsync();
        var mine = node.TrustNewDevice();

        var team = await node.NewSpaceAsync("team");

        var other = Assert.Single(team.Members, m => !m.ThisDevice);
        Assert.Equal(mine, other.DeviceId);
        Assert.Equal("owner", other.Role);
        Assert.True(other.Trusted);
    }

    [Fact]
    public async Task Documents_GoToTheNamedSpace_OrThePersonalOne()
    {
        await using var node = await TestNode.StartAsync();
        var team = await node.NewSpaceAsync("team");

        var shared = await node.NewDocAsync("plan", team.Id[..8]);
        var own = await node.NewDocAsync("diary", null);
        var docs = await node.Http.GetFromJsonAsync<List<DocView>>("api/docs");
        var spaces = await node.Http.GetFromJsonAsync<List<SpaceView>>("api/spaces");

        Assert.Equal(team.Id, shared.Space);
        Assert.Equal(node.Host.Spaces.Personal!.Id.ToString(), own.Space);
        Assert.Equal(team.Id, docs!.Single(d => d.Id == shared.Id).Space);
        Assert.Equal(1, spaces!.Single(s => s.Id == team.Id).Documents);
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("x", "nowhere")), HttpStatusCode.NotFound, "no space");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest(" ", team.Id)), HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task Members_AddChangeRemove_RotatesTheKeyOnRemoval()
    {
        await using var node = await TestNode.StartAsync();
        var team = await node.NewSpaceAsync("team");
        var device = node.TrustNewDevice();
        var members = $"api/spaces/{team.Id}/members";

        var added = await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PostAsJsonAsync(members, new AddMemberRequest(device, "viewer")), HttpStatusCode.OK);
        var changed = await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PutAsJsonAsync($"{members}/{device[..10]}", new ChangeRoleRequest("Editor")), HttpStatusCode.OK);
        var removed = await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.DeleteAsync($"{members}/{device}"), HttpStatusCode.OK);

        Assert.Equal("viewer", added.Members.Single(m => m.DeviceId == device).Role);
        Assert.Equal("editor", changed.Members.Single(m => m.DeviceId == device).Role);
        Assert.DoesNotContain(removed.Members, m => m.DeviceId == device);
        Assert.Equal(1UL, removed.KeyEpoch);
        Assert.Equal(1UL, node.Host.Spaces.Find(P2PSync.Node.Security.Spaces.SpaceId.FromBytes(Convert.FromHexString(team.Id)))!.Keys.Current.Epoch);
    }

    [Fact]
    public async Task Members_Refusals_HaveTheirStatusAndChangeNothing()
    {
        await using var node = await TestNode.StartAsync();
        var team = await node.NewSpaceAsync("team");
        var device = node.TrustNewDevice();
        using var strangerKey = P2PSync.Node.Identity.DeviceKey.Generate();
        var members = $"api/spaces/{team.Id}/members";
        await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PostAsJsonAsync(members, new AddMemberRequest(device, "editor")), HttpStatusCode.OK);
        var before = await node.Http.GetStringAsync($"api/spaces/{team.Id}");

        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(members, new AddMemberRequest(device, "viewer")), HttpStatusCode.Conflict, "member");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(members, new AddMemberRequest(strangerKey.Id.ToString(), "viewer")), HttpStatusCode.NotFound, "not known");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(members, new AddMemberRequest("not-a-device", "viewer")), HttpStatusCode.BadRequest, "not a device id");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(members, new AddMemberRequest(device, "boss")), HttpStatusCode.BadRequest, "not a role");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync(members, new AddMemberRequest(null, "viewer")), HttpStatusCode.BadRequest, "device is required");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync("api/spaces/nope/members", new AddMemberRequest(device, "viewer")), HttpStatusCode.NotFound, "no space");
        await SpaceApi.ExpectErrorAsync(await node.Http.PutAsJsonAsync($"{members}/{strangerKey.Id}", new ChangeRoleRequest("viewer")), HttpStatusCode.NotFound, "not a member");
        await SpaceApi.ExpectErrorAsync(await node.Http.PutAsJsonAsync($"{members}/{device}", new ChangeRoleRequest(null)), HttpStatusCode.BadRequest, "role is required");
        await SpaceApi.ExpectErrorAsync(await node.Http.PutAsJsonAsync($"{members}/ab", new ChangeRoleRequest("viewer")), HttpStatusCode.BadRequest, "prefix");
        await SpaceApi.ExpectErrorAsync(await node.Http.DeleteAsync($"{members}/{node.Host.DeviceId}"), HttpStatusCode.Conflict, "cannot remove itself");
        await SpaceApi.ExpectErrorAsync(await node.Http.PutAsJsonAsync($"{members}/{node.Host.DeviceId}", new ChangeRoleRequest("editor")), HttpStatusCode.Conflict, "without an owner");
        await SpaceApi.ExpectErrorAsync(await node.Http.DeleteAsync($"{members}/{strangerKey.Id}"), HttpStatusCode.NotFound, "not a member");

        Assert.Equal(before, await node.Http.GetStringAsync($"api/spaces/{team.Id}"));
    }

    [Fact]
    public async Task PersonalSpace_IsManagedByThePeerList_NotByHand()
    {
        await using var node = await TestNode.StartAsync();
        var device = node.TrustNewDevice();
        var personal = node.Host.Spaces.Personal!.Id.ToString();

        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync($"api/spaces/{personal}/members", new AddMemberRequest(device, "viewer")), HttpStatusCode.Conflict, "peer add");
        await SpaceApi.ExpectErrorAsync(await node.Http.DeleteAsync($"api/spaces/{personal}/members/{device}"), HttpStatusCode.Conflict, "peer add");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync($"api/spaces/{personal}/invites", new CreateInviteRequest("editor", null, ["127.0.0.1:7420"])), HttpStatusCode.Conflict, "personal");
    }

    [Fact]
    public async Task NotAnOwner_Is403_AndAViewersAppendIs403WithTheReadOnlyMessage()
    {
        await using var node = await TestNode.StartAsync();
        var team = await node.NewSpaceAsync("team");
        var doc = await node.NewDocAsync("plan", team.Id);
        var other = node.TrustNewDevice();
        var members = $"api/spaces/{team.Id}/members";
        await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PostAsJsonAsync(members, new AddMemberRequest(other, "owner")), HttpStatusCode.OK);

        // This device steps down to viewer (another owner remains): from now on it may only read.
        await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PutAsJsonAsync($"{members}/{node.Host.DeviceId}", new ChangeRoleRequest("viewer")), HttpStatusCode.OK);

        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest("x", null)), HttpStatusCode.Forbidden, "read-only");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("more", team.Id)), HttpStatusCode.Forbidden, "viewer");
        await SpaceApi.ExpectErrorAsync(await node.Http.PutAsJsonAsync($"{members}/{other}", new ChangeRoleRequest("viewer")), HttpStatusCode.Forbidden, "owner");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync($"api/spaces/{team.Id}/invites", new CreateInviteRequest("viewer", null, ["127.0.0.1:7420"])), HttpStatusCode.Forbidden, "owner");
        Assert.Equal("", (await node.Http.GetFromJsonAsync<DocDetailView>($"api/docs/{doc.Id}"))!.Text);
        Assert.Equal("viewer", (await node.Http.GetFromJsonAsync<List<SpaceView>>("api/spaces"))!.Single(s => s.Id == team.Id).Role);
    }

    [Fact]
    public async Task CreateSpace_BadNames_Are400()
    {
        await using var node = await TestNode.StartAsync();

        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync("api/spaces", new CreateSpaceRequest(null)), HttpStatusCode.BadRequest, "name is required");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsJsonAsync("api/spaces", new CreateSpaceRequest(new string('x', 201))), HttpStatusCode.BadRequest, "space name");
        await SpaceApi.ExpectErrorAsync(await node.Http.PostAsync("api/spaces", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "not valid JSON");

        Assert.Single((await node.Http.GetFromJsonAsync<List<SpaceView>>("api/spaces"))!);
    }

    [Fact]
    public async Task Peers_ListsSpaceMembersApartFromTrustedDevices()
    {
        await using var node = await TestNode.StartAsync();
        var mine = node.TrustNewDevice();
        using var colleague = P2PSync.Node.Identity.DeviceKey.Generate();
        node.Host.Peers.AddMember(colleague.Id.ToString(), ["192.0.2.7:7420"]);
        var team = await node.NewSpaceAsync("team");
        await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PostAsJsonAsync($"api/spaces/{team.Id}/members", new AddMemberRequest(colleague.Id.ToString(), "editor")), HttpStatusCode.OK);

        var peers = (await node.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))!;

        Assert.True(peers.Single(p => p.DeviceId == mine).Trusted);
        var member = peers.Single(p => p.DeviceId == colleague.Id.ToString());
        Assert.False(member.Trusted);
        Assert.Equal(["team"], member.Spaces!);
        Assert.Equal(["192.0.2.7:7420"], member.Addresses);
    }
}
