using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Our PeerConnection against real peers in network namespaces (<see cref="OurPeerMatrixRun"/>):
/// Chromium with its mDNS address hiding off and on, in both offer directions, and werift in both.
/// With mDNS on, Chromium's host candidates are &lt;uuid&gt;.local names we cannot resolve (and do
/// not try to: no mDNS queries from the node), so our agent learns Chromium's address as a
/// peer-reflexive candidate from its checks (RFC 8445 §7.3.1.3).
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class OurPeerMatrixTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public Task Chromium_offers_to_us() => new OurPeerMatrixRun(output, seed: 8201).RunAsync(PeerDriver.Chromium, peerOffers: true);

    [ChromiumFact]
    public Task We_offer_to_chromium() => new OurPeerMatrixRun(output, seed: 8202).RunAsync(PeerDriver.Chromium, peerOffers: false);

    [ChromiumFact]
    public Task Chromium_hiding_its_addresses_behind_mdns_names_offers_to_us() =>
        new OurPeerMatrixRun(output, seed: 8203).RunAsync(PeerDriver.Chromium, peerOffers: true, mdns: true);

    [ChromiumFact]
    public Task We_offer_to_chromium_hiding_its_addresses_behind_mdns_names() =>
        new OurPeerMatrixRun(output, seed: 8204).RunAsync(PeerDriver.Chromium, peerOffers: false, mdns: true);

    [WeriftFact]
    public Task Werift_offers_to_us() => new OurPeerMatrixRun(output, seed: 8205).RunAsync(PeerDriver.Werift, peerOffers: true);

    [WeriftFact]
    public Task We_offer_to_werift() => new OurPeerMatrixRun(output, seed: 8206).RunAsync(PeerDriver.Werift, peerOffers: false);
}
