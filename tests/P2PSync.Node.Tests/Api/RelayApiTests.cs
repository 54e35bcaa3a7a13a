using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Api;

/// <summary>GET, POST and DELETE /api/relays, and which stored relay the running node uses.</summary>
public sealed class RelayApiTests
{
    [Fact]
    public async Task AddListRemove_AnswerWithTheStoredRelay()
    {
        await using var node = await TestNode.StartAsync();

        var created = await node.Http.PostAsJsonAsync("api/relays", new AddRelayRequest("HTTP://127.0.0.1:8787/"));
        var again = await node.Http.PostAsJsonAsync("api/relays", new AddRelayRequest("http://127.0.0.1:8787"));
        var listed = await node.Http.GetFromJsonAsync<List<RelayView>>("api/relays");
        var removed = await node.Http.DeleteAsync("api/relays?url=" + Uri.EscapeDataString("http://127.0.0.1:8787/"));
        var removedAgain = await node.Http.DeleteAsync("api/relays?url=" + Uri.EscapeDataString("http://127.0.0.1:8787"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = (await created.Content.ReadFromJsonAsync<RelayView>())!;
        Assert.Equal("http://127.0.0.1:8787", view.Url);
        Assert.False(view.InUse);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(view, await again.Content.ReadFromJsonAsync<RelayView>());
        Assert.Equal([view], listed);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        Assert.Contains("no relay http://127.0.0.1:8787 is stored", (await removedAgain.Content.ReadFromJsonAsync<ErrorView>())!.Error, StringComparison.Ordinal);
        Assert.Empty((await node.Http.GetFromJsonAsync<List<RelayView>>("api/relays"))!);
    }

    [Theory]
    [InlineData("{\"url\":\"ftp://relay.example\"}", "scheme is ftp")]
    [InlineData("{\"url\":\"\"}", "empty")]
    [InlineData("{}", "url is required")]
    [InlineData("{\"url\":5}", "not valid JSON")]
    [InlineData("[1,2", "not valid JSON")]
    [InlineData("null", "not null")]
    public async Task BadBodies_Get400WithAJsonReason_AndStoreNothing(string body, string reason)
    {
        await using var node = await TestNode.StartAsync();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await node.Http.PostAsync("api/relays", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<ErrorView>())!.Error, StringComparison.Ordinal);
        Assert.Empty(node.Host.StoredRelays.List());
    }

    [Theory]
    [InlineData("api/relays", "?url=URL")]
    [InlineData("api/relays?url=", "?url=URL")]
    [InlineData("api/relays?url=nonsense", "invalid relay URL")]
    public async Task BadRemovals_Get400(string path, string reason)
    {
        await using var node = await TestNode.StartAsync();

        var response = await node.Http.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<ErrorView>())!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNodeUsesTheFirstStoredRelay_AndSaysWhichIsInUse()
    {
        using var dir = new TempDirectory();
        var first = $"http://127.0.0.1:{ClosedLoopbackPort()}";
        var second = $"http://127.0.0.1:{ClosedLoopbackPort()}";
        using (var store = NodeHost.OpenStore(dir.Path, TimeProvider.System))
        {
            store.Relays.Add(first);
            store.Relays.Add(second);
        }

        await using var host = await NodeHost.StartAsync(
            new NodeOptions { DataDirectory = dir.Path, ApiPort = 0, DeviceName = "test" }, TimeProvider.System, new Random(1), NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = host.ApiUrl };

        var listed = (await http.GetFromJsonAsync<List<RelayView>>("api/relays"))!;

        Assert.Equal(new Uri(first.Replace("http://", "ws://", StringComparison.Ordinal) + "/mailbox"), host.RelayMailbox);
        Assert.Equal([(first, true), (second, false)], listed.Select(r => (r.Url, r.InUse)));
    }

    [Fact]
    public async Task RelayGivenForTheRun_WinsOverTheStoredOnes()
    {
        using var dir = new TempDirectory();
        var stored = $"http://127.0.0.1:{ClosedLoopbackPort()}";
        var given = new Uri($"http://127.0.0.1:{ClosedLoopbackPort()}");
        using (var store = NodeHost.OpenStore(dir.Path, TimeProvider.System))
        {
            store.Relays.Add(stored);
        }

        await using var host = await NodeHost.StartAsync(
            new NodeOptions { DataDirectory = dir.Path, ApiPort = 0, DeviceName = "test", Relay = given }, TimeProvider.System, new Random(1), NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = host.ApiUrl };

        var listed = (await http.GetFromJsonAsync<List<RelayView>>("api/relays"))!;

        Assert.Equal(NodeRelay.MailboxUri(given), host.RelayMailbox);
        Assert.Equal([(stored, false)], listed.Select(r => (r.Url, r.InUse)));
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
