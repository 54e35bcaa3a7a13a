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
    [InlineData("md5 AB:CD", nameof(WebRtcFormatProblem.LengthMismatch))] // md5 is known (16 bytes) though we cannot verify it
    [InlineData(" sha-256 AB", nameof(WebRtcFormatProblem.Malformed))] // no padding: the SDP grammar has exactly one space
    [InlineData("sha/256 AB", nameof(WebRtcFormatProblem.Malformed))] // '/' is not a token character
    [InlineData("x-hash ", nameof(WebRtcFormatProblem.Malformed))]
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
        Assert.Equal(WebRtcLayer.Sdp, refusal.Layer); // the text is the a=fingerprint attribute's grammar
    }

    [Fact]
    public void An_overlong_value_is_refused_as_too_large()
    {
        var refusal = Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Parse("sha-256 " + new string('A', 300)));
        Assert.Equal(WebRtcFormatProblem.TooLarge, refusal.Problem);

        var tooManyBytes = Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Parse("x-hash " + string.Join(':', Enumerable.Repeat("AB", 65))));
        Assert.Equal(WebRtcFormatProblem.TooLarge, tooManyBytes.Problem);
    }

    [Theory]
    [InlineData("x-hash AB:CD", "x-hash", 2)] // a name RFC 8122 does not list: any length is taken
    [InlineData("MD5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", "md5", 16)]
    [InlineData("sha-224 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB", "sha-224", 28)]
    public void Hashes_we_cannot_compute_are_kept_but_never_match(string text, string algorithm, int length)
    {
        var parsed = DtlsFingerprint.Parse(text);

        Assert.Equal((algorithm, length, false), (parsed.Algorithm, parsed.Digest.Length, parsed.CanVerify));
        Assert.Equal(text[..text.IndexOf(' ', StringComparison.Ordinal)].ToLowerInvariant() + text[text.IndexOf(' ', StringComparison.Ordinal)..], parsed.ToString());
        Assert.False(parsed.Matches("abc"u8));
        Assert.False(parsed.Matches([]));
    }

    [Fact]
    public void Verifiable_hashes_say_so()
    {
        Assert.True(DtlsFingerprint.Sha256Of("abc"u8).CanVerify);
        Assert.True(DtlsFingerprint.Parse("sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D").CanVerify);
    }

    [Fact]
    public void Equality_is_by_hash_name_and_digest()
    {
        var upper = DtlsFingerprint.Parse(AbcSha256);
        var lower = DtlsFingerprint.Parse("SHA-256 " + AbcSha256[8..].ToLowerInvariant());

        Assert.Equal(upper, lower);
        Assert.Equal(upper.GetHashCode(), lower.GetHashCode());
        Assert.NotEqual(upper, DtlsFingerprint.Sha256Of("abd"u8));
        Assert.NotEqual(DtlsFingerprint.Create("x-a", [1, 2]), DtlsFingerprint.Create("x-b", [1, 2]));
        Assert.False(upper.Equals(null));
    }

    [Fact]
    public void Create_checks_like_parse()
    {
        Assert.Equal(AbcSha256, DtlsFingerprint.Create("SHA-256", DtlsFingerprint.Parse(AbcSha256).Digest).ToString());
        Assert.Equal(WebRtcFormatProblem.LengthMismatch, Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Create("sha-256", new byte[31])).Problem);
        Assert.Equal(WebRtcFormatProblem.LengthMismatch, Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Create("x-hash", [])).Problem);
        Assert.Equal(WebRtcFormatProblem.TooLarge, Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Create("x-hash", new byte[65])).Problem);
        Assert.Equal(WebRtcFormatProblem.Malformed, Assert.Throws<WebRtcFormatException>(() => DtlsFingerprint.Create("sha 256", new byte[32])).Problem);
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

                // A mutated hash name may be one we do not know (kept, any length); sha-256 stays 32 bytes.
                Assert.True(fingerprint.Algorithm != "sha-256" || fingerprint.Digest.Length == 32);
                Assert.Equal(fingerprint, DtlsFingerprint.Parse(fingerprint.ToString()));
                parsed++;
            }
            catch (WebRtcFormatException)
            {
                // The only refusal allowed.
            }
        }

        output.WriteLine($"{parsed} of 2000 mutations still parsed (case changes, hex digit swaps, other hash names)");
    }
}
