using System.Net;
using System.Net.Http.Json;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Api;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Tests.Api.Spaces;

/// <summary>A y-websocket client of a document this device may only read: its edits are refused with "permission denied", its connection stays.</summary>
public sealed class ViewerWebSocketTests
{
    [Fact]
    public async Task ViewersUpdate_IsDeniedNotApplied_AndTheClientStillReceivesEdits()
    {
        await using var node = await TestNode.StartAsync();
        var team = await node.NewSpaceAsync("team");
        var doc = await node.NewDocAsync("plan", team.Id);
        (await node.Http.PostAsJsonAsync($"api/docs/{doc.Id}/append", new AppendRequest("before", null))).EnsureSuccessStatusCode();
        var other = node.TrustNewDevice();
        await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PostAsJsonAsync($"api/spaces/{team.Id}/members", new AddMemberRequest(other, "owner")), HttpStatusCode.OK);
        await SpaceApi.ExpectAsync<SpaceDetailView>(await node.Http.PutAsJsonAsync($"api/spaces/{team.Id}/members/{node.Host.DeviceId}", new ChangeRoleRequest("viewer")), HttpStatusCode.OK);
        await using var client = await YWebSocketTestClient.ConnectAsync(node.WebSocketUrl(doc.Id), 7);
        await client.ReceiveAsync();
        await client.SendAsync(YWebsocketMessage.ForSync(SyncMessage.Step1(Y.EncodeStateVector(client.Doc))));
        await client.ReceiveUntilAsync(m => m.Sync?.Type == SyncMessageType.SyncStep2);

        byte[]? update = null;
        client.Doc.Update += (_, e) => update = e.Update;
        client.Doc.GetText("text").Insert(0, "viewer was here ");
        await client.SendAsync(YWebsocketMessage.ForSync(SyncMessage.Update(update!)));
        var denied = await client.ReceiveUntilAsync(m => m.Type == YWebsocketMessageType.Auth);

        Assert.Contains("read-only", denied.DeniedReason, StringComparison.Ordinal);
        Assert.Equal("before", node.Host.Documents.Read(doc.Id, d => d.GetText("text").ToString()));

        // Still connected, and still served: a fresh sync step 1 is answered with the document.
        await client.SendAsync(YWebsocketMessage.ForSync(SyncMessage.Step1(Y.EncodeStateVector(new Doc(new DocOptions { ClientId = 99 })))));
        var step2 = await client.ReceiveUntilAsync(m => m.Sync?.Type == SyncMessageType.SyncStep2);
        Assert.NotEmpty(step2.Sync!.Payload);
    }
}
