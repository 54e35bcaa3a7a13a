using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Both drivers answer bad commands with a refusal the C# side turns into a
/// <see cref="ControlProtocolException"/> naming the cause, and keep serving afterwards.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class DriverRefusalTests
{
    [WeriftFact]
    public Task Werift_driver_refuses_bad_commands_and_keeps_working() => RefusesAsync(PeerDriver.Werift);

    [ChromiumFact]
    public Task Chromium_driver_refuses_bad_commands_and_keeps_working() => RefusesAsync(PeerDriver.Chromium);

    private static async Task RefusesAsync(PeerDriver driver)
    {
        await using var lan = await VethLan.CreateAsync();
        await using var peer = await RemotePeer.StartAsync(driver, lan.A);

        await Refused("no peer", () => peer.CreateOfferAsync());
        await Refused("unknown command \"teleport\"", () => peer.CommandAsync("teleport", []));
        await peer.CreatePeerAsync();
        await Refused("createPeer twice", () => peer.CreatePeerAsync());
        await Refused("no channel labelled \"nope\"", () => peer.SendTextAsync("nope", "x"));
        await Refused("needs a string label", () => peer.CommandAsync("createDataChannel", new JsonObject { ["label"] = 5 }));
        await peer.CreateDataChannelAsync("c");
        await Refused("exists", () => peer.CreateDataChannelAsync("c"));
        await Refused("send needs text or binary", () => peer.CommandAsync("send", new JsonObject { ["label"] = "c" }));
        await Refused("needs type offer or answer", () => peer.SetRemoteDescriptionAsync(new SessionDescriptionText("pranswer", "v=0")));

        // A line that is not JSON gets a reply with no id; the harness records it as a driver error.
        await peer.WriteLineAsync("{not json");
        var error = await peer.WaitForAsync<DriverErrorEvent>(_ => true, TimeSpan.FromSeconds(10), "the refusal of a malformed line");
        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);

        // Still serving: a real offer comes out.
        var offer = await peer.CreateOfferAsync();
        Assert.Equal("offer", offer.Type);
        Assert.Contains("m=application", offer.Sdp, StringComparison.Ordinal);

        // Chromium refuses an answer that is not SDP (werift 0.25.2 takes any text without a word).
        if (driver == PeerDriver.Chromium)
        {
            await Refused("Failed to", () => peer.SetRemoteDescriptionAsync(new SessionDescriptionText("answer", "this is not SDP")));
        }
    }

    private static async Task Refused(string cause, Func<Task> command)
    {
        var error = await Assert.ThrowsAsync<ControlProtocolException>(command);
        Assert.Contains("refused the command", error.Message, StringComparison.Ordinal);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
    }
}
