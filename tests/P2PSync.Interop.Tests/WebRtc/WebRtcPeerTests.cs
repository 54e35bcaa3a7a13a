using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// The harness proves itself: real peers in two namespaces joined by a veth pair open data channels
/// and exchange text and binary both ways, with all signalling relayed by the C# test.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class WebRtcPeerTests
{
    private readonly ITestOutputHelper _output;

    public WebRtcPeerTests(ITestOutputHelper output) => _output = output;

    // werift to werift is not run here: werift's own ICE between two werift peers failed about one
    // run in three ("ICE negotiation failed"), which tests werift, not us (docs/dev/webrtc-harness.md).

    [ChromiumFact]
    public Task Chromium_offers_to_werift() => new ChannelExchange(_output, seed: 8002).RunAsync(PeerDriver.Chromium, PeerDriver.Werift);

    [ChromiumFact]
    public Task Werift_offers_to_chromium() => new ChannelExchange(_output, seed: 8003).RunAsync(PeerDriver.Werift, PeerDriver.Chromium);

    /// <summary>Chromium's default: host candidates as &lt;uuid&gt;.local, which werift learns as peer-reflexive from Chromium's checks.</summary>
    [ChromiumFact]
    public Task Chromium_hiding_its_addresses_behind_mdns_names_offers_to_werift() =>
        new ChannelExchange(_output, seed: 8004).RunAsync(PeerDriver.Chromium, PeerDriver.Werift, chromiumHidesIps: true);
}
