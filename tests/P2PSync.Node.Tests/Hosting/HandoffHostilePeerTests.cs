using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>A trusted peer that breaks the presence/handoff protocol loses its connection; the node and its data carry on.</summary>
public sealed class HandoffHostilePeerTests
{
    [Theory]
    [InlineData("chunk-for-unknown-handoff", "unknown handoff nope")]
    [InlineData("begin-for-unknown-handoff", "unknown handoff nope")]
    [InlineData("bad-awareness", "awareness")]
    public async Task BrokenMessage_ClosesThatConnection_AndChangesNothing(string kind, string reason)
    {
        await using var node = await TestNode.StartAsync(listen: true);
        using var peer = DeviceKey.Generate();
        (await node.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(peer.Id.ToString(), null))).EnsureSuccessStatusCode();
        var doc = (await (await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest("d"))).Content.ReadFromJsonAsync<DocView>())!.Id;
        (await node.Http.PostAsJsonAsync($"api/docs/{doc}/append", new AppendRequest("kept", null))).EnsureSuccessStatusCode();
        var dialer = new TcpDialer(peer, TimeSpan.FromSeconds(10));
        await using var connection = await dialer.DialAsync(new PeerAddress("127.0.0.1", node.Host.ListenPort!.Value), Protocol.Identity.DeviceId.Parse(node.Host.DeviceId), CancellationToken.None);
        await connection.SendAsync(EnvelopeCodec.Encode(new Envelope { Hello = new Hello { DeviceName = "hostile", ProtocolVersion = P2PSync.Node.Sync.SyncProtocolVersion.Current } }), CancellationToken.None);

        var bad = kind switch
        {
            "chunk-for-unknown-handoff" => new Envelope { HandoffChunk = new HandoffChunk { HandoffId = "nope", DocId = doc, Offset = 0, Data = Google.Protobuf.ByteString.CopyFrom(1, 2, 3), Last = true } },
            "begin-for-unknown-handoff" => new Envelope { HandoffBegin = new HandoffBegin { HandoffId = "nope", ActivityJson = Google.Protobuf.ByteString.CopyFromUtf8("{}") } },
            _ => new Envelope { Awareness = new AwarenessFrame { DocId = doc, Update = Google.Protobuf.ByteString.CopyFrom(0xff, 0xff, 0xff) } },
        };
        await connection.SendAsync(EnvelopeCodec.Encode(bad), CancellationToken.None);

        // The node answers (Hello, announces, Presence...) and then closes: ReceiveAsync ends with null.
        using var patience = new CancellationTokenSource(HandoffPair.Patience);
        while (await connection.ReceiveAsync(patience.Token) is not null)
        {
        }

        Assert.Contains("closing connection to", node.Log.ToString(), StringComparison.Ordinal);
        Assert.Contains(reason, node.Log.ToString().Split('\n').Single(l => l.Contains("closing connection to", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("kept", (await node.Http.GetFromJsonAsync<DocDetailView>($"api/docs/{doc}"))!.Text);
        Assert.Empty((await node.Http.GetFromJsonAsync<HandoffListView>("api/handoff"))!.Activities);
        Assert.Equal(0, (await node.Http.GetFromJsonAsync<ActivityView>("api/activity"))!.Version);
    }
}
