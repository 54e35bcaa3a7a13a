using System.Text;
using P2PSync.Node.Tests.Transport.WebRtc.Sdp;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Peer;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Peer;

/// <summary>
/// Seeded mutations of what signalling hands a PeerConnection: only our typed errors come out
/// (WebRtcFormatException for what does not parse, PeerConnectionException for what is refused),
/// and a refused offer leaves the connection as it was.
/// </summary>
public sealed class PeerConnectionHostileInputTests
{
    private readonly ITestOutputHelper _output;

    public PeerConnectionHostileInputTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(1101)]
    [InlineData(1102)]
    public async Task Mutated_offers_are_taken_or_refused_with_typed_errors_only(int seed)
    {
        _output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var original = Encoding.UTF8.GetBytes(SdpSamples.ChromiumOfferFromNotes);
        int taken = 0, unparsable = 0, refused = 0;
        for (var i = 0; i < 60; i++)
        {
            var mutated = original.ToArray();
            for (var f = random.Next(1, 4); f > 0; f--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(32, 127);
            }

            await using var pc = new PeerConnection(LoopbackPeerPair.DefaultOptions, TimeProvider.System, new Random(seed + i));
            try
            {
                pc.SetRemoteDescription("offer", Encoding.UTF8.GetString(mutated));
                taken++;
                Assert.Equal(PeerConnectionState.Connecting, pc.State);
                Assert.Contains("a=setup:active", pc.CreateAnswer());
            }
            catch (WebRtcFormatException)
            {
                unparsable++;
                Assert.Equal(PeerConnectionState.New, pc.State);
            }
            catch (PeerConnectionException e)
            {
                refused++;
                Assert.Equal(WebRtcLayer.Sdp, e.Layer);
                Assert.Equal(PeerConnectionState.New, pc.State);
            }
        }

        _output.WriteLine($"taken {taken}, unparsable {unparsable}, refused {refused}");
        Assert.True(unparsable + refused > 0, "no mutation was refused: the mutations are too gentle to test anything");
    }

    [Theory]
    [InlineData(1111)]
    [InlineData(1112)]
    public async Task Mutated_trickled_candidates_are_used_ignored_or_refused_as_format_errors(int seed)
    {
        _output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        await using var pc = new PeerConnection(LoopbackPeerPair.DefaultOptions, TimeProvider.System, new Random(seed));
        pc.SetRemoteDescription("offer", SdpSamples.ChromiumOfferFromNotes);
        const string line = "candidate:1644307991 1 udp 2113937151 10.78.0.1 41339 typ host generation 0 network-cost 999";
        int refused = 0;
        for (var i = 0; i < 300; i++)
        {
            var chars = line.ToCharArray();
            for (var f = random.Next(1, 4); f > 0; f--)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
            }

            try
            {
                pc.AddRemoteCandidate(new string(chars));
            }
            catch (WebRtcFormatException)
            {
                refused++;
            }
        }

        _output.WriteLine($"refused {refused} of 300");
        Assert.True(refused > 0);
        Assert.Equal(PeerConnectionState.Connecting, pc.State);
        Assert.True(pc.AddRemoteCandidate(string.Empty)); // end-of-candidates still taken
    }

    [Fact]
    public async Task Descriptions_without_a_fingerprint_we_can_check_are_refused()
    {
        await using var pc = new PeerConnection(LoopbackPeerPair.DefaultOptions, TimeProvider.System, new Random(1121));
        var unknownHash = SdpSamples.ChromiumOfferFromNotes.Replace("a=fingerprint:sha-256", "a=fingerprint:blake3-256", StringComparison.Ordinal);
        var error = Assert.Throws<PeerConnectionException>(() => pc.SetRemoteDescription("offer", unknownHash));
        _output.WriteLine(error.Message);
        Assert.Equal(WebRtcLayer.Sdp, error.Layer);
        Assert.Equal(PeerConnectionState.New, pc.State);
    }
}
