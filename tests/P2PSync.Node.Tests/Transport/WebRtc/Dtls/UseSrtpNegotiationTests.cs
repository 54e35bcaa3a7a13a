using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using P2PSync.Node.Transport.WebRtc.Dtls;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class UseSrtpNegotiationTests(ITestOutputHelper output)
{
    // The use_srtp body of Chromium 156's captured ClientHello (Resources/chromium-client-hello.hex):
    // profiles 0x0001, 0x0008, 0x0007, empty MKI.
    private static readonly byte[] ChromiumUseSrtp = Convert.FromHexString("000600010008000700");

    [Fact]
    public void Chromiums_offer_gets_its_first_profile_we_know_echoed()
    {
        var client = Extensions(ChromiumUseSrtp);

        Assert.Equal(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, UseSrtpNegotiation.Choose(client));
    }

    [Fact]
    public void Our_offer_is_werifts_list_with_an_empty_mki_and_is_answered_with_its_first_profile()
    {
        var offer = UseSrtpNegotiation.AddOffer(null);

        Assert.Equal(Convert.FromHexString("000400070001" + "00"), (byte[])offer[ExtensionType.use_srtp]!);
        Assert.Equal(SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, UseSrtpNegotiation.Choose(offer));
    }

    [Fact]
    public void The_echo_carries_exactly_the_chosen_profile()
    {
        var echo = UseSrtpNegotiation.AddEcho(new Hashtable(), SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);

        Assert.Equal(Convert.FromHexString("0002000100"), (byte[])echo[ExtensionType.use_srtp]!);
    }

    [Fact]
    public void No_extensions_no_use_srtp_or_only_unknown_profiles_mean_no_echo()
    {
        Assert.Null(UseSrtpNegotiation.Choose(null));
        Assert.Null(UseSrtpNegotiation.Choose(new Hashtable()));
        Assert.Null(UseSrtpNegotiation.Choose(Extensions(Convert.FromHexString("00040002000500"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("000300010000")]
    [InlineData("00020001")]
    [InlineData("000000")]
    public void A_malformed_use_srtp_is_a_decode_error(string hex)
    {
        var alert = Assert.Throws<TlsFatalAlert>(() => UseSrtpNegotiation.Choose(Extensions(Convert.FromHexString(hex))));

        Assert.Equal(AlertDescription.decode_error, alert.AlertDescription);
    }

    [Fact]
    public void Mutated_offers_are_chosen_from_or_refused_with_decode_error_never_anything_else()
    {
        const int seed = 8105;
        output.WriteLine($"mutation seed {seed}");
        var random = new Random(seed);
        int chosen = 0, refused = 0;
        for (var i = 0; i < 2000; i++)
        {
            var bytes = ChromiumUseSrtp.ToArray();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var mutated = random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
            try
            {
                var profile = UseSrtpNegotiation.Choose(Extensions(mutated));
                Assert.True(profile is null or SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80 or SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, $"profile {profile}");
                chosen++;
            }
            catch (TlsFatalAlert alert)
            {
                Assert.Equal(AlertDescription.decode_error, alert.AlertDescription);
                refused++;
            }
        }

        output.WriteLine($"{chosen} read, {refused} refused");
        Assert.True(chosen > 0 && refused > 0, $"{chosen} read, {refused} refused");
    }

    private static Hashtable Extensions(byte[] useSrtp) => new() { [ExtensionType.use_srtp] = useSrtp };
}
