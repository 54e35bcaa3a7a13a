using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>Our side of the offer/answer tests against real descriptions: fixed parameters and the offer they make.</summary>
internal static class OfferAnswerFixtures
{
    public static readonly LocalSessionParameters Local = new()
    {
        SessionId = 4242424242424242424,
        IceUfrag = "OurUfrag",
        IcePwd = "OurPasswordIs24CharsLon",
        Fingerprint = DtlsFingerprint.Parse(
            "sha-256 01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF"),
    };

    /// <summary>Our offer with mid 0, the mid every captured answer carries.</summary>
    public static SessionDescription OurOffer { get; } = OfferAnswer.CreateOffer(Local);

    /// <summary>Parses <paramref name="answerText"/> and settles it as the peer's answer to <see cref="OurOffer"/>.</summary>
    public static NegotiatedSession AcceptAnswer(string answerText) => OfferAnswer.AcceptAnswer(OurOffer, SdpParser.Parse(answerText));
}
