using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsFingerprintTests(ITestOutputHelper output)
{
    // FIPS 180-2 appendix B.1: SHA-256("abc").
    private const string AbcSha256 = "sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";

    [Fact]
    public void Sha256_is_written_in_the_sdp_form()
    {
        Assert.Equal(AbcSha256, DtlsFingerprint.Sha256Of("abc"u8).ToString());
    }

    [Fact]
    public void Parsing_accepts_lower_case_and_round_trips_to_upper_case()
    {
        var parsed = DtlsFingerprint.Parse("SHA-256 " + AbcSha256[8..].ToLowerInvariant());

        Assert.Equal("sha-256", parsed.Algorithm);
        Assert.Equal(AbcSha256, parsed.ToString());
        Assert.True(parsed.Matches("abc"u8));
        Assert.False(parsed.Matches("abd"u8));
    }

    [Theory]
    [InlineData("sha-1", "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D")]
    [InlineData("sha-384", "CB:00:75:3F:45:A3:5E:8B:B5:A0:3D:69:9A:C6:50:07:27:2C:32:AB:0E:DE:D1:63:1A:8B:60:5A:43:FF:5B:ED:80:86:07:2B:A1:E7:CC:23:58:BA:EC:A1:34:C8:25:A7")]
    [InlineData("sha-512", "DD:AF:35:A1:93:61:7A:BA:CC:41:73:49:AE:20:41:31:12:E6:FA:4E:89:A9:7E:A2:0A:9E:EE:E6:4B:55:D3:9A:21:92:99:2A:27:4F:C1:A8:36:BA:3C:23:A3:FE:EB:BD:45:4D:44:23:64:3C:E8:0E:2A:9A:C9:4F:A5:4C:A4:9F")]
    public void The_other_hashes_rfc_8122_names_match_their_fips_vectors(string algorithm, string hex)
    {
        Assert.True(DtlsFingerprint.Parse($"{algorithm} {hex}").Matches("abc"u8));
    }

    [Fact]
    public void A_certificate_matches_its_own_fingerprint_and_not_another()
    {
        var one = DtlsCertificate.Generate(TimeProvider.System);
        var two = DtlsCertificate.Generate(TimeProvider.System);

        var parsed = DtlsFingerprint.Parse(one.Fingerprint.ToString());
        Assert.True(parsed.Matches(one.Der));
        Assert.False(parsed.Matches(two.Der));
    }

    [Theory]
    [InlineData("sha-256", nameof(WebRtcFormatProblem.Malformed))]
    [InlineData("sha-256  ", nameof(WebRtcFormatProblem.Malformed))]
    [InlineData("sha-256 AB:CD extra", nameof(WebRtcFormatProblem.Malformed))]
    [InlineData("md5 AB:CD", nameof(WebRtcFormatProblem.Unsupported))]
    [InlineData("sha-256 AB:CD", nameof(WebRtcFormatProblem.LengthMismatch))]
    [InlineData("sha-256 AB-CD", nameof(WebRtcFormatProblem.Malformed))]
    [InlineData("sha-256 ABC:D", nameof(WebRtcFormatProblem.Malformed))]
    [InlineData("sha-256 GG:00", nameof(WebRtcFormatProblem.Malformed))]
    [InlineData("sha-256 A", nameof(WebRtcFormatProblem.Malformed))]
    [InlineData("sha-256 AB:", nameof(WebRtcFormatProblem.Malformed))]
    public void Bad_fingerprints_are_refused_with_the_problem_named(string text, string problem)
    {
        var refusal = Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Parse(text));
        Assert.Equal(Enum.Parse<WebRtcFormatProblem>(problem), refusal.Problem);
        Assert.Equal(WebRtcLayer.Dtls, refusal.Layer);
    }

    [Fact]
    public void An_overlong_value_is_refused_as_too_large()
    {
        var refusal = Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Parse("sha-256 " + new string('A', 300)));
        Assert.Equal(WebRtcFormatProblem.TooLarge, refusal.Problem);
    }

    [Fact]
    public void Seeded_mutations_either_parse_or_throw_only_our_format_exception()
    {
        const int seed = 81;
        output.WriteLine($"mutation seed {seed}");
        var random = new Random(seed);
        var original = System.Text.Encoding.ASCII.GetBytes(AbcSha256);
        var parsed = 0;
        for (var i = 0; i < 2000; i++)
        {
            var text = System.Text.Encoding.Latin1.GetString(ByteMutator.Mutate(original, random));
            try
            {
                var fingerprint = DtlsFingerprint.Parse(text);
                Assert.Equal(32, fingerprint.Digest.Length);
                parsed++;
            }
            catch (WebRtcFormatException)
            {
                // The only refusal allowed.
            }
        }

        output.WriteLine($"{parsed} of 2000 mutations still parsed (case changes, hex digit swaps)");
    }
}
