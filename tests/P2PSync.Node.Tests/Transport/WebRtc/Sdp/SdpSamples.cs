namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>
/// Real descriptions, byte for byte. Captured on 2026-11-22 from Chromium 156 (headless, in a network
/// namespace with a veth pair) and werift 0.25.2, except <see cref="ChromiumOfferFromNotes"/>, which is
/// the offer quoted in docs/dev/webrtc-notes.md §5.1 (mDNS hiding off, so its candidate is an IP).
/// </summary>
internal static class SdpSamples
{
    public const string ChromiumOfferFromNotes =
        "v=0\r\no=- 1738012076984189119 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n" +
        "m=application 41339 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 10.78.0.1\r\n" +
        "a=candidate:1644307991 1 udp 2113937151 10.78.0.1 41339 typ host generation 0 network-cost 999\r\n" +
        "a=ice-ufrag:/RtL\r\na=ice-pwd:GfbRbTUrY+9pC/wRURftrnCw\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 D4:3B:35:09:A1:CC:65:2A:02:34:8B:D5:88:59:34:F8:4E:35:62:C9:F9:A1:3C:FD:71:85:0A:7C:2F:F1:0C:07\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    /// <summary>Chromium's offer with its default mDNS hiding: the host candidate is a <c>uuid.local</c> name.</summary>
    public const string ChromiumOfferMdns =
        "v=0\r\no=- 3075680762194339582 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=candidate:2924315687 1 udp 2113937151 82b29f4a-9ba4-4028-9bd6-7218ac8dd3cb.local 35730 typ host generation 0 network-cost 999\r\n" +
        "a=ice-ufrag:j2LR\r\na=ice-pwd:cPcuJm2/ninMfEC/OkrebNPf\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 65:2F:6D:EF:1C:66:49:81:6C:19:8C:1D:CA:F6:A8:ED:99:27:CE:93:31:57:E5:EC:BF:7A:AB:95:DB:DD:94:50\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    /// <summary>Chromium's answer to <see cref="WeriftOffer"/>: setup active and no a=max-message-size (notes §0.8).</summary>
    public const string ChromiumAnswerToWerift =
        "v=0\r\no=- 8891473364413195065 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=candidate:3307972348 1 udp 2113937151 82b29f4a-9ba4-4028-9bd6-7218ac8dd3cb.local 38354 typ host generation 0 network-cost 999\r\n" +
        "a=ice-ufrag:MaK1\r\na=ice-pwd:tU+0oaqu7iDKf3pvu5sHKFhi\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 00:30:09:FD:74:F9:4D:1B:E6:0E:52:B2:6D:26:75:75:88:DE:0D:CC:75:31:E2:18:A1:2B:C9:88:E5:A1:24:B9\r\n" +
        "a=setup:active\r\na=mid:0\r\na=sctp-port:5000\r\n";

    /// <summary>werift's offer after gathering: m= port 9, candidates with a ufrag extension, then end-of-candidates.</summary>
    public const string WeriftOffer =
        "v=0\r\no=- 14901877 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic:WMS *\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=candidate:b0cced2df8d168e858d349393 1 udp 2116026367 10.79.0.1 42257 typ host generation 0 ufrag f73a\r\n" +
        "a=candidate:e0cf08dc40a70f461f2df06f7 1 udp 2116026367 10.79.0.2 33511 typ host generation 0 ufrag f73a\r\n" +
        "a=end-of-candidates\r\na=ice-ufrag:f73a\r\na=ice-pwd:c99860c2ec03e22cb8803e\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 97:E7:00:2E:90:2D:1B:71:5A:6B:9D:CE:89:EB:D3:B1:1B:3E:FC:66:B0:B6:5A:72:A4:CF:A6:E4:D2:77:6F:9B\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:65536\r\n";

    /// <summary>werift's answer (configured with maxMessageSize 0) to <see cref="WeriftOffer"/>: "no limit".</summary>
    public const string WeriftAnswer =
        "v=0\r\no=- 35687714 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic:WMS *\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=candidate:b0cced2df8d168e858d349393 1 udp 2116026367 10.79.0.1 59842 typ host generation 0 ufrag cc44\r\n" +
        "a=candidate:e0cf08dc40a70f461f2df06f7 1 udp 2116026367 10.79.0.2 35758 typ host generation 0 ufrag cc44\r\n" +
        "a=end-of-candidates\r\na=ice-ufrag:cc44\r\na=ice-pwd:4f65044ee807528170920b\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 97:E7:00:2E:90:2D:1B:71:5A:6B:9D:CE:89:EB:D3:B1:1B:3E:FC:66:B0:B6:5A:72:A4:CF:A6:E4:D2:77:6F:9B\r\n" +
        "a=setup:active\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:0\r\n";

    /// <summary>Chromium's answer to our own offer (OfferAnswerTests' golden offer text, fed to setRemoteDescription).</summary>
    public const string ChromiumAnswerToOurOffer =
        "v=0\r\no=- 7662453825670604680 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:ACd0\r\na=ice-pwd:BTl87u7NGR8W7snoWF54QMsZ\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 0B:B6:75:01:A1:13:96:CD:54:61:E5:AC:11:5F:57:9B:5A:1E:C3:8F:EF:E2:AF:DF:C9:18:AD:9B:FE:E2:6F:61\r\n" +
        "a=setup:active\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    /// <summary>werift's answer (default options) to our own offer.</summary>
    public const string WeriftAnswerToOurOffer =
        "v=0\r\no=- 24905392 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic:WMS *\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=candidate:b0cced2df8d168e858d349393 1 udp 2116026367 10.79.0.1 42965 typ host generation 0 ufrag 875e\r\n" +
        "a=end-of-candidates\r\na=ice-ufrag:875e\r\na=ice-pwd:096fd5794cfed4b4a4c704\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 F3:A2:A8:48:D6:90:1F:E4:4E:E5:D1:40:BA:AE:5F:AB:E5:03:64:8F:46:00:9C:15:56:18:B3:0F:44:21:98:4E\r\n" +
        "a=setup:active\r\na=mid:0\r\na=sctp-port:5000\r\na=max-message-size:65536\r\n";

    public static IEnumerable<string> All =>
        [ChromiumOfferFromNotes, ChromiumOfferMdns, ChromiumAnswerToWerift, WeriftOffer, WeriftAnswer, ChromiumAnswerToOurOffer, WeriftAnswerToOurOffer];
}
