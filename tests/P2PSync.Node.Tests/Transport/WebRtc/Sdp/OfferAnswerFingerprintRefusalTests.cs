using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>
/// A description whose DTLS identity we cannot check is refused before anything connects: no
/// fingerprint, only hashes we cannot compute, or a malformed attribute. The refusal names the
/// problem (and the hash names involved), whichever side sent it and whichever real peer wrote it.
/// </summary>
public sealed class OfferAnswerFingerprintRefusalTests
{
    private const string Md5 = "a=fingerprint:md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
    private const string Sha224 = "a=fingerprint:sha-224 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB";
    private const string PrivateHash = "a=fingerprint:x-our-own-hash AB:CD:EF";

    public static TheoryData<string> Offers => new() { SdpSamples.ChromiumOfferFromNotes, SdpSamples.ChromiumOfferMdns, SdpSamples.WeriftOffer };

    public static TheoryData<string> Answers => new()
    {
        SdpSamples.ChromiumAnswerToWerift, SdpSamples.WeriftAnswer, SdpSamples.ChromiumAnswerToOurOffer, SdpSamples.WeriftAnswerToOurOffer,
    };

    [Theory]
    [MemberData(nameof(Offers))]
    public void An_offer_with_only_hashes_we_cannot_compute_is_refused_naming_them(string offer)
    {
        var onlyUnknown = SdpAssert.InsertAfter(SdpAssert.ReplaceLine(offer, "a=fingerprint:", Md5), "a=fingerprint:", Sha224, PrivateHash);

        var error = SdpAssert.Refused(() => OfferAnswer.Answer(SdpParser.Parse(onlyUnknown), OfferAnswerFixtures.Local), WebRtcFormatProblem.Unsupported);

        Assert.Equal(
            "Sdp: the offer's data section has no fingerprint we can verify: it uses only md5, sha-224, x-our-own-hash (we verify sha-1, sha-256, sha-384, sha-512)",
            error.Message);
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void An_answer_with_only_hashes_we_cannot_compute_is_refused_naming_them(string answer)
    {
        var onlyMd5 = SdpAssert.ReplaceLine(answer, "a=fingerprint:", Md5);

        var error = SdpAssert.Refused(() => OfferAnswerFixtures.AcceptAnswer(onlyMd5), WebRtcFormatProblem.Unsupported);

        Assert.StartsWith("Sdp: the answer's data section has no fingerprint we can verify: it uses only md5 (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Offers))]
    public void Unknown_hashes_next_to_a_verifiable_one_are_left_out_of_what_dtls_checks(string offer)
    {
        var mixed = SdpAssert.InsertAfter(offer, "a=fingerprint:", Md5, PrivateHash);
        var real = SdpParser.Parse(offer).DataSection!.Fingerprints.Single();

        var settled = OfferAnswer.Answer(SdpParser.Parse(mixed), OfferAnswerFixtures.Local).Negotiated;

        Assert.Equal([real], settled.RemoteFingerprints);
    }

    [Fact]
    public void Hash_names_are_case_insensitive_so_upper_case_sha_256_is_verifiable()
    {
        var upper = SdpSamples.ChromiumAnswerToOurOffer.Replace("a=fingerprint:sha-256", "a=fingerprint:SHA-256", StringComparison.Ordinal);

        var settled = OfferAnswerFixtures.AcceptAnswer(upper);

        Assert.Equal("sha-256", Assert.Single(settled.RemoteFingerprints).Algorithm);
    }

    [Fact]
    public void The_media_level_fingerprint_wins_over_an_unverifiable_session_level_one()
    {
        var sessionMd5 = SdpAssert.InsertAfter(SdpSamples.ChromiumOfferFromNotes, "a=msid-semantic", Md5);
        var onlySessionMd5 = SdpAssert.ReplaceLine(sessionMd5, "a=fingerprint:sha-256", null);

        Assert.Equal("sha-256", Assert.Single(OfferAnswer.Answer(SdpParser.Parse(sessionMd5), OfferAnswerFixtures.Local).Negotiated.RemoteFingerprints).Algorithm);
        SdpAssert.Refused(() => OfferAnswer.Answer(SdpParser.Parse(onlySessionMd5), OfferAnswerFixtures.Local), WebRtcFormatProblem.Unsupported);
    }

    [Theory]
    [MemberData(nameof(Offers))]
    public void A_description_built_in_code_without_fingerprint_or_ice_credentials_is_refused(string offer)
    {
        var parsed = SdpParser.Parse(offer);
        var section = parsed.DataSection!;
        var noFingerprint = parsed with { MediaSections = [section with { Fingerprints = [] }] };
        var noPassword = parsed with { MediaSections = [section with { IcePwd = null }] };

        var missing = SdpAssert.Refused(() => OfferAnswer.Answer(noFingerprint, OfferAnswerFixtures.Local), WebRtcFormatProblem.Missing);
        Assert.Contains("has no a=fingerprint", missing.Message, StringComparison.Ordinal);
        SdpAssert.Refused(() => OfferAnswer.Answer(noPassword, OfferAnswerFixtures.Local), WebRtcFormatProblem.Missing);
    }

    [Fact]
    public void An_answer_built_in_code_without_fingerprint_is_refused()
    {
        var parsed = SdpParser.Parse(SdpSamples.WeriftAnswerToOurOffer);
        var noFingerprint = parsed with { MediaSections = [parsed.DataSection! with { Fingerprints = [] }] };

        SdpAssert.Refused(() => OfferAnswer.AcceptAnswer(OfferAnswerFixtures.OurOffer, noFingerprint), WebRtcFormatProblem.Missing);
    }

    /// <summary>In text, a missing or malformed attribute never reaches OfferAnswer: the parser refuses it with its line.</summary>
    [Theory]
    [InlineData(null, (int)WebRtcFormatProblem.Missing)]
    [InlineData("a=fingerprint:sha-256", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("a=fingerprint:sha-256  D4:3B", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("a=fingerprint:sha-256 D4:3B:35:09:A1:CC:65:2A:02:34:8B:D5:88:59:34:F8:4E:35:62:C9:F9:A1:3C:FD:71:85:0A:7C:2F:F1:0C:G7", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("a=fingerprint:sha-256 D43B:35", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("a=fingerprint:sha-256 D4:3B:35", (int)WebRtcFormatProblem.LengthMismatch)]
    [InlineData("a=fingerprint:sha(256) D4:3B", (int)WebRtcFormatProblem.Malformed)]
    public void Missing_or_malformed_fingerprints_in_text_are_refused_by_the_parser(string? line, int problem)
    {
        foreach (var sample in SdpSamples.All)
        {
            SdpAssert.Refused(SdpAssert.ReplaceLine(sample, "a=fingerprint:", line), (WebRtcFormatProblem)problem);
        }
    }

    [Fact]
    public void The_hash_names_we_say_we_verify_are_the_ones_we_can_verify()
    {
        var names = DtlsFingerprint.VerifiableAlgorithms.Split(", ");

        Assert.All(names, name => Assert.True(DtlsFingerprint.Create(name, new byte[DigestLength(name)]).CanVerify, name));
        Assert.False(DtlsFingerprint.Create("md5", new byte[16]).CanVerify);
    }

    private static int DigestLength(string name) => name switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        _ => 64,
    };
}
