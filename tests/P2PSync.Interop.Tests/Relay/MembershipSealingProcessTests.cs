using System.Buffers.Binary;
using System.Net.Http.Json;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Spaces;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.Relay;
using P2PSync.Protocol.Relay;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Relay;

/// <summary>
/// Membership updates through the relay are sealed to each member's device (kind 3), so a member
/// removed earlier - who still holds the old space key - cannot read the updates posted for the
/// others (real relay and node processes on loopback).
/// </summary>
[Collection("node processes")]
public sealed class MembershipSealingProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARemovedMember_CannotOpenTheMembershipUpdatePostedForAnotherMember()
    {
        using var scratch = new ScratchDirectory("p2psync-relay-sealing-");
        await using var relay = await RelayProcess.StartAsync(scratch.Combine("relay"));
        var relayArgs = new[] { "--relay", relay.Url.ToString() };
        var bData = scratch.Combine("b");
        var vData = scratch.Combine("v");
        await using var a = await NodeProcess.StartAsync("a", scratch.Combine("a"), 0, relayArgs);
        var b = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
        await using var v = await NodeProcess.StartAsync("v", vData, 0, relayArgs);
        await a.TrustAsync(b);
        await b.TrustAsync(a);
        var project = await a.Http.CreateSpaceAsync("Project");
        await Eventually.TrueAsync(async () => (await b.Http.GetAsync($"api/spaces/{project}")).IsSuccessStatusCode, Convergence, () => Task.FromResult("b never got the space"));
        var invite = await a.Http.PostAsJsonAsync($"api/spaces/{project}/invites", new { role = "viewer", addresses = new[] { a.Address } });
        invite.EnsureSuccessStatusCode();
        var code = (await invite.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString()!;
        (await v.Http.PostAsJsonAsync("api/join", new { code })).EnsureSuccessStatusCode();

        // b goes away, so a's next membership change reaches it through the relay only.
        Assert.Equal(0, await b.StopAsync());
        await b.DisposeAsync();
        var space = SpaceId.FromBytes(Convert.FromHexString(project));
        var topic = RelayTopics.For(space);
        using var vKey = DeviceKeyStore.Load(vData);
        using var bKey = DeviceKeyStore.Load(bData);
        await using var removedMembersView = await ConnectAsync(relay.Url, vKey);
        var before = (await FetchAllAsync(removedMembersView, topic, 0)).Select(i => i.Cursor).DefaultIfEmpty(0UL).Max();

        (await a.Http.DeleteAsync($"api/spaces/{project}/members/{v.DeviceId}")).EnsureSuccessStatusCode();

        List<BatchItem> later = [];
        await Eventually.TrueAsync(
            async () =>
            {
                later = await FetchAllAsync(removedMembersView, topic, before);
                return later.Any(i => DeviceSealedEnvelope.IsDeviceSealed(i.Envelope.Span));
            },
            Convergence,
            () => Task.FromResult($"no update sealed to a device was posted\n--- a ---\n{a.Log}"));
        var forB = 0;
        foreach (var item in later)
        {
            var envelope = item.Envelope.ToByteArray();
            output.WriteLine($"cursor {item.Cursor}: version {envelope[0]}, kind {envelope[1]}, {envelope.Length} bytes");
            if (DeviceSealedEnvelope.IsDeviceSealed(envelope))
            {
                var refused = Assert.Throws<SealedEnvelopeException>(() => DeviceSealedEnvelope.Open(envelope, space, vKey));
                Assert.Equal(SealedEnvelopeProblem.NotForThisDevice, refused.Problem);
                var (author, message) = SignedMessages.Open(DeviceSealedEnvelope.Open(envelope, space, bKey));
                Assert.Equal(a.DeviceId, author.ToString());
                Assert.Contains(message.Space.Keys, k => k.Epoch == 1);
                forB++;
            }
            else
            {
                // Anything else posted after the removal is sealed under the rotated key, which v never got.
                Assert.True(BinaryPrimitives.ReadUInt64BigEndian(envelope.AsSpan(18)) >= 1, $"an envelope at epoch 0 after the removal, kind {envelope[1]}");
            }
        }

        Assert.True(forB >= 1);
    }

    private static async Task<MailboxClient> ConnectAsync(Uri relay, DeviceKey key)
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(P2PSync.Node.Hosting.NodeRelay.MailboxUri(relay), CancellationToken.None);
        return await MailboxClient.ConnectAsync(socket, key, CancellationToken.None);
    }

    private static async Task<List<BatchItem>> FetchAllAsync(MailboxClient client, byte[] topic, ulong after)
    {
        var items = new List<BatchItem>();
        while (true)
        {
            var batch = await client.FetchAsync(topic, after, 0, CancellationToken.None);
            items.AddRange(batch.Items);
            if (!batch.More || batch.Items.Count == 0)
            {
                return items;
            }

            after = batch.Items[^1].Cursor;
        }
    }
}
