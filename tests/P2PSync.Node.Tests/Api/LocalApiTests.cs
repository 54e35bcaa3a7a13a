using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Tests.Api;

public sealed class LocalApiTests
{
    [Fact]
    public async Task Api_ListensOnLoopbackOnly()
    {
        await using var node = await TestNode.StartAsync();

        Assert.Equal("127.0.0.1", node.Host.ApiUrl!.Host);
    }

    [Fact]
    public async Task CreateAppendGet_RoundTripsTextAndIsDurable()
    {
        await using var node = await TestNode.StartAsync();

        var created = await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("notes"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var doc = (await created.Content.ReadFromJsonAsync<DocView>())!;
        (await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest("hello ", null))).EnsureSuccessStatusCode();
        var appended = await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest("world", null));
        var detail = (await appended.Content.ReadFromJsonAsync<DocDetailView>())!;

        Assert.Equal("hello world", detail.Text);
        Assert.Equal("hello world", (await node.Http.GetFromJsonAsync<DocDetailView>($"api/docs/{doc.Id}"))!.Text);
        var list = await node.Http.GetFromJsonAsync<List<DocView>>("api/docs");
        Assert.Equal("notes", Assert.Single(list!).Name);

        // Acknowledged means stored: a fresh load from the store has the text.
        using var store = NodeHost.OpenStore(node.DataDirectory, TimeProvider.System);
        Assert.Equal("hello world", store.Documents.LoadDoc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public async Task OtherRoots_AreSeparateTexts()
    {
        await using var node = await TestNode.StartAsync();
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!;

        (await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest("side", "notes"))).EnsureSuccessStatusCode();

        Assert.Equal("side", (await node.Http.GetFromJsonAsync<DocDetailView>($"api/docs/{doc.Id}?root=notes"))!.Text);
        Assert.Equal("", (await node.Http.GetFromJsonAsync<DocDetailView>($"api/docs/{doc.Id}"))!.Text);
    }

    [Theory]
    [InlineData("api/docs/nope")]
    [InlineData("api/docs/..")]
    [InlineData("api/docs/a%20b")]
    public async Task UnknownDocument_Is404WithJsonError(string path)
    {
        await using var node = await TestNode.StartAsync();

        var response = await node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task BadRequests_Are400AndChangeNothing()
    {
        await using var node = await TestNode.StartAsync();
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!;

        Assert.Equal(HttpStatusCode.BadRequest, (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest(null))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest(null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.PostAsJsonAsync("api/docs/nope/append", new AppendRequest("x", null))).StatusCode);
        var badPeer = await node.Http.PostAsJsonAsync("api/peers", new AddPeerRequest("not-a-device", null));
        Assert.Equal(HttpStatusCode.BadRequest, badPeer.StatusCode);
        Assert.Contains("error", await badPeer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Single((await node.Http.GetFromJsonAsync<List<DocView>>("api/docs"))!);
        Assert.Empty((await node.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))!);
    }

    [Fact]
    public async Task Peers_AddListRemove()
    {
        await using var node = await TestNode.StartAsync();
        await using var other = await TestNode.StartAsync();
        var id = other.Host.DeviceId;

        var added = await node.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(id, ["127.0.0.1:9"]));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var peer = Assert.Single((await node.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))!);
        Assert.Equal(id, peer.DeviceId);
        Assert.Equal(["127.0.0.1:9"], peer.Addresses);

        Assert.Equal(HttpStatusCode.NoContent, (await node.Http.DeleteAsync($"api/peers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.DeleteAsync($"api/peers/{id}")).StatusCode);
        Assert.Empty((await node.Http.GetFromJsonAsync<List<PeerView>>("api/peers"))!);
    }

    [Fact]
    public async Task Status_ReportsDeviceDocsAndPeers()
    {
        await using var node = await TestNode.StartAsync(listen: true);
        await using var other = await TestNode.StartAsync();
        (await node.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(other.Host.DeviceId, null))).EnsureSuccessStatusCode();
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!;
        (await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest("x", null))).EnsureSuccessStatusCode();

        var status = (await node.Http.GetFromJsonAsync<StatusView>("api/status"))!;

        Assert.Equal(node.Host.DeviceId, status.DeviceId);
        Assert.Equal(node.Host.ListenPort, status.Port);
        Assert.Equal(Environment.ProcessId, status.Pid);
        Assert.False(Assert.Single(status.Peers).Connected);
        Assert.Equal("behind by 1 update (offline)", Assert.Single(status.Docs).Peers[other.Host.DeviceId]);
    }

    [Fact]
    public async Task ApiJson_IsWrittenWhileRunningAndRemovedOnShutdown()
    {
        var node = await TestNode.StartAsync();
        var data = node.DataDirectory;
        var endpoint = ApiEndpointFile.ReadLive(data);
        Assert.NotNull(endpoint);
        Assert.Equal(node.Host.ApiUrl!.ToString(), endpoint.Url);
        Assert.Equal(Environment.ProcessId, endpoint.Pid);

        await node.Host.DisposeAsync();
        Assert.False(File.Exists(ApiEndpointFile.PathIn(data)));
        await node.DisposeAsync();
    }
}
