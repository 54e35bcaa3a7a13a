using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// First contact of our own ICE + DTLS with real peers (no SCTP yet): ICE connects, the DTLS
/// handshake completes in the role a=setup gives, with the suite and extended master secret we
/// require and the peer's certificate matching the fingerprint in its SDP.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class OurStackAgainstPeerTests
{
    private readonly ITestOutputHelper _output;

    public OurStackAgainstPeerTests(ITestOutputHelper output) => _output = output;

    [WeriftFact]
    public Task Werift_offers_and_we_answer_as_dtls_client() => new OurStackHandshake(_output, seed: 8101).RunAsync(PeerDriver.Werift, weOffer: false);

    [WeriftFact]
    public Task We_offer_to_werift_and_serve_dtls() => new OurStackHandshake(_output, seed: 8102).RunAsync(PeerDriver.Werift, weOffer: true);

    [ChromiumFact]
    public Task Chromium_offers_and_we_answer_as_dtls_client() => new OurStackHandshake(_output, seed: 8103).RunAsync(PeerDriver.Chromium, weOffer: false);

    /// <summary>Chromium as DTLS client of our server: answers notes §2.2 (a ServerHello without use_srtp).</summary>
    [ChromiumFact]
    public Task We_offer_to_chromium_and_serve_dtls() => new OurStackHandshake(_output, seed: 8104).RunAsync(PeerDriver.Chromium, weOffer: true);
}
