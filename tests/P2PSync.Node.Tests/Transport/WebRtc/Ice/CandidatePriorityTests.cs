using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

public sealed class CandidatePriorityTests
{
    [Fact]
    public void HostPriority_MatchesChromiumsNumbers()
    {
        // Chromium's host candidate and the PRIORITY in its checks (notes §1.7).
        uint host = CandidatePriority.Compute(IceCandidateType.Host, 30);

        Assert.Equal(2113937151u, host);
        Assert.Equal(1845501695u, CandidatePriority.ForPeerReflexive(host));
        Assert.Equal((100u << 24) | (30u << 8) | 255u, CandidatePriority.Compute(IceCandidateType.ServerReflexive, 30));
        Assert.Equal(255u, CandidatePriority.Compute(IceCandidateType.Relay, 0));
    }

    [Fact]
    public void PairPriority_FollowsTheFormula_AndBreaksTiesTowardTheControllingSide()
    {
        ulong g = 2113937151;
        ulong d = 1845501695;

        Assert.Equal((d << 32) + (2 * g) + 1, CandidatePriority.ForPair((uint)g, (uint)d));
        Assert.Equal((d << 32) + (2 * g), CandidatePriority.ForPair((uint)d, (uint)g));
        Assert.True(CandidatePriority.ForPair(5, 5) < CandidatePriority.ForPair(6, 5));
    }

    [Fact]
    public void LocalPreference_OutOfRange_IsOurBug()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CandidatePriority.Compute(IceCandidateType.Host, 65536));
    }

    [Fact]
    public void Foundation_IsStablePerTypeBaseAndServer_AndMadeOfIceChars()
    {
        string a = CandidateFoundation.Compute(IceCandidateType.Host, "10.0.0.1", null, "udp");

        Assert.Equal(a, CandidateFoundation.Compute(IceCandidateType.Host, "10.0.0.1", null, "UDP"));
        Assert.NotEqual(a, CandidateFoundation.Compute(IceCandidateType.ServerReflexive, "10.0.0.1", "stun.example:3478", "udp"));
        Assert.NotEqual(a, CandidateFoundation.Compute(IceCandidateType.Host, "10.0.0.2", null, "udp"));
        Assert.InRange(a.Length, 1, 32);
        Assert.All(a, c => Assert.True(char.IsAsciiDigit(c)));
    }

    [Fact]
    public void GeneratedCredentials_AreValid_AndSeeded()
    {
        IceCredentials one = IceCredentials.Generate(new Random(5));
        IceCredentials two = IceCredentials.Generate(new Random(5));

        Assert.Equal(8, one.Ufrag.Length);
        Assert.Equal(24, one.Password.Length);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData("abc", "0123456789012345678901")]
    [InlineData("abcd", "012345678901234567890")]
    [InlineData("ab:d", "0123456789012345678901")]
    [InlineData("abcd", "01234567890123456789-1")]
    public void ShortOrNonIceCharCredentials_AreRefused(string ufrag, string password)
    {
        var ex = Assert.Throws<WebRtcFormatException>(() => new IceCredentials(ufrag, password));

        Assert.Equal(WebRtcFormatProblem.InvalidValue, ex.Problem);
    }

    [Fact]
    public void ChromiumLengthCredentials_AreAccepted()
    {
        var credentials = new IceCredentials("/RtL", "GfbRbTUrY+9pC/wRURftrnCw");

        Assert.Equal("/RtL", credentials.Ufrag);
    }
}
