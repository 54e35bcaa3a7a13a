using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;

namespace P2PSync.Node.Tests.Api;

/// <summary>/api/webrtc-shares on a running node without a relay: every refusal is a clear error with its status.</summary>
public sealed class YWebRtcShareApiTests
{
    [Fact]
    public async Task RefusalsNameTheProblem()
    {
        await using var node = await TestNode.StartAsync();
        var doc = await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d", null))).Content.ReadFromJsonAsync<DocView>();

        await AssertRefusedAsync(node, new YWebRtcShareRequest(doc!.Id, "room", null), HttpStatusCode.Conflict, "needs a relay");
        await AssertRefusedAsync(node, new YWebRtcShareRequest("no-such-doc", "room", null), HttpStatusCode.NotFound, "no document with id 'no-such-doc'");
        await AssertRefusedAsync(node, new YWebRtcShareRequest(doc.Id, "", null), HttpStatusCode.BadRequest, "a room name is required");
        await AssertRefusedAsync(node, new YWebRtcShareRequest(doc.Id, "tab\there", null), HttpStatusCode.BadRequest, "control characters");
        await AssertRefusedAsync(node, new YWebRtcShareRequest(doc.Id, new string('r', 513), null), HttpStatusCode.BadRequest, "at most 512 bytes");
        await AssertRefusedAsync(node, new YWebRtcShareRequest(null, "room", null), HttpStatusCode.BadRequest, "docId is required");

        var garbage = await node.Http.PostAsync("api/webrtc-shares", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);

        Assert.Empty((await node.Http.GetFromJsonAsync<List<YWebRtcShareView>>("api/webrtc-shares"))!);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.DeleteAsync($"api/webrtc-shares?docId={doc.Id}&room=room")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Http.DeleteAsync("api/webrtc-shares?room=room")).StatusCode);
    }

    private static async Task AssertRefusedAsync(TestNode node, YWebRtcShareRequest request, HttpStatusCode status, string message)
    {
        var response = await node.Http.PostAsJsonAsync("api/webrtc-shares", request);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<ErrorView>())!.Error, StringComparison.Ordinal);
    }
}
