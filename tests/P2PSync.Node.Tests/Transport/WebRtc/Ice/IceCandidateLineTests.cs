using System.Net;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Ice;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

/// <summary>
/// The one candidate-line codec (RFC 8839 §5.1) that ICE, SDP and trickle share: lines as Chromium 156
/// and werift 0.25.2 write them (docs/dev/webrtc-notes.md §1.9, §5.1, §5.3), every refusal with its
/// problem, and seeded mutations.
/// </summary>
public sealed class IceCandidateLineTests(ITestOutputHelper output)
{
    // Captured from Chromium 156 on this machine (docs/dev/webrtc-notes.md §1.9 and §5.1).
    private const string ChromiumMdnsHost = "a=candidate:1833840764 1 udp 2113937151 578b356d-d74d-483f-b05c-27f206c0ae9d.local 56363 typ host generation 0 network-cost 999";
    private const string ChromiumIpHost = "candidate:1644307991 1 udp 2113937151 10.78.0.1 41339 typ host generation 0 network-cost 999";

    [Fact]
    public void ChromiumMdnsCandidate_ParsesWithoutAnEndPoint()
    {
        IceCandidate candidate = IceCandidateLine.Parse(ChromiumMdnsHost);

        Assert.Equal("1833840764", candidate.Foundation);
        Assert.Equal(2113937151u, candidate.Priority);
        Assert.Equal("578b356d-d74d-483f-b05c-27f206c0ae9d.local", candidate.Address);
        Assert.Equal(56363, candidate.Port);
        Assert.Equal(IceCandidateType.Host, candidate.Type);
        Assert.Null(candidate.EndPoint);
        Assert.Equal(["generation", "network-cost"], candidate.Extensions.Select(e => e.Key));
    }

    [Fact]
    public void ChromiumIpCandidate_RoundTripsVerbatim()
    {
        IceCandidate candidate = IceCandidateLine.Parse(ChromiumIpHost);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.78.0.1"), 41339), candidate.EndPoint);
        Assert.Equal(ChromiumIpHost, IceCandidateLine.Format(candidate));
    }

    [Theory]
    [InlineData("candidate:842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag 74b6 network-cost 999")]
    [InlineData("candidate:1 1 udp 2122252543 2001:db8::1 50000 typ host")]
    [InlineData("candidate:3 1 udp 1845501695 10.0.0.5 5000 typ prflx raddr 10.0.0.5 rport 5000")]
    [InlineData("candidate:4 1 tcp 1518280447 10.0.0.5 9 typ host tcptype active generation 0")]
    [InlineData("candidate:5 1 udp 41885439 198.51.100.2 3478 typ relay raddr 203.0.113.7 rport 61000")]
    [InlineData("candidate:1644307991 1 udp 2113937151 10.78.0.1 41339 typ host generation 0 network-cost 999")]
    [InlineData("candidate:1833840764 1 udp 2113937151 578b356d-d74d-483f-b05c-27f206c0ae9d.local 56363 typ host generation 0 network-cost 999")]
    [InlineData("candidate:b0cced2df8d168e858d349393 1 udp 2116026367 10.79.0.1 42257 typ host generation 0 ufrag f73a")]
    [InlineData("candidate:842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-id 1")]
    [InlineData("candidate:3 1 udp 1845501695 fe80::1%eth0 40000 typ prflx")]
    [InlineData("candidate:4 1 udp 16777215 2001:db8::7 3478 typ relay raddr 198.51.100.2 rport 61000")]
    [InlineData("candidate:5 1 tcp 1518280447 10.78.0.1 9 typ host tcptype active generation 0")]
    [InlineData("candidate:6 1 udp 2113937151 10.78.0.1 41339 typ host generation 0 ufrag /RtL network-cost 999")]
    public void RealAndOtherShapes_RoundTripExactly_WithOrWithoutThePrefix(string line)
    {
        IceCandidate candidate = IceCandidateLine.Parse(line);

        Assert.Equal(line, IceCandidateLine.Format(candidate));
        Assert.Equal(candidate, IceCandidateLine.Parse("a=" + line));
        Assert.Equal(candidate, IceCandidateLine.ParseValue(line["candidate:".Length..]));
    }

    [Fact]
    public void ServerReflexiveCandidate_ReadsEachField()
    {
        IceCandidate candidate = IceCandidateLine.Parse("candidate:842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 10.0.0.2 rport 41000 generation 0");

        Assert.Equal(
            new IceCandidate("842163049", 1, "udp", 1677729535, "203.0.113.7", 50000, IceCandidateType.ServerReflexive, "10.0.0.2", 41000)
            {
                Extensions = [new("generation", "0")],
            },
            candidate);
        Assert.True(candidate.IsUdp);
        Assert.Null(candidate.UsernameFragment);
    }

    [Theory]
    [InlineData("candidate:842163049 1 UDP 1677729535 203.0.113.7 50000 typ srflx raddr 10.0.0.2 rport 41000 generation 0", "candidate:842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx raddr 10.0.0.2 rport 41000 generation 0")]
    [InlineData("candidate:1 1 UDP 2122252543 2001:db8::1 50000 typ host", "candidate:1 1 udp 2122252543 2001:db8::1 50000 typ host")]
    public void Transport_IsCaseInsensitive_AndWrittenLowerCase(string line, string written)
    {
        IceCandidate candidate = IceCandidateLine.Parse(line);

        Assert.Equal("udp", candidate.Protocol);
        Assert.True(candidate.IsUdp);
        Assert.Equal(written, IceCandidateLine.Format(candidate));
    }

    [Fact]
    public void UfragExtension_IsTheUsernameFragment_AndExtensionsDecideEquality()
    {
        IceCandidate withUfrag = IceCandidateLine.Parse("candidate:1 1 udp 2 10.0.0.1 9 typ host ufrag a/b+");
        IceCandidate other = IceCandidateLine.Parse("candidate:1 1 udp 2 10.0.0.1 9 typ host ufrag zzzz");

        Assert.Equal("a/b+", withUfrag.UsernameFragment);
        Assert.NotEqual(withUfrag, other);
    }

    [Fact]
    public void SrflxWithHiddenBase_KeepsRaddrZero()
    {
        IceCandidate candidate = IceCandidateLine.Parse("candidate:842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 0.0.0.0 rport 0 generation 0");

        Assert.Equal(IceCandidateType.ServerReflexive, candidate.Type);
        Assert.Equal("0.0.0.0", candidate.RelatedAddress);
        Assert.Equal(0, candidate.RelatedPort);
    }

    [Fact]
    public void TcpCandidate_ParsesButTheAgentIgnoresIt()
    {
        IceCandidate candidate = IceCandidateLine.Parse("candidate:4 1 tcp 1518280447 10.0.0.5 9 typ host tcptype passive");
        var agent = new IceAgent(new IceAgentOptions(), IceCredentials.Generate(new Random(1)), IceRole.Controlled, 1, new Random(2));

        Assert.False(candidate.IsUdp);
        Assert.Equal("passive", candidate.Extensions.Single(e => e.Key == "tcptype").Value);
        Assert.False(agent.AddRemoteCandidate(candidate));
        Assert.Equal(1, agent.Counters.RemoteCandidatesIgnored);
    }

    [Theory]
    [InlineData("", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("a=candidat:1 1 udp 1 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("1644307991 1 udp 2113937151 10.78.0.1 41339 typ host", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1 typ", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1  1 udp 2 10.0.0.1 9 typ host", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ host ", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1 type host", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 type host", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1 typ relayed", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ local", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 0 udp 1 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 0 udp 2 10.0.0.1 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 257 udp 1 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 257 udp 2 10.0.0.1 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 0 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 4294967296 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 4294967296 10.0.0.1 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp -5 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 65536 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 65536 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 +80 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 1 not_a_host! 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 1 12345 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1;x 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 2 fe80::1%eth0;x 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1%eth0 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:fo-und 1 udp 1 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:ab-cd 1 udp 2 10.0.0.1 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:123456789012345678901234567890123 1 udp 1 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:123456789012345678901234567890123 1 udp 2 10.0.0.1 9 typ host", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 u;dp 1 10.0.0.1 1 typ host", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1 typ srflx raddr 10.0.0.2", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1 typ srflx raddr 10.0.0.2 port 5", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ srflx rport 5", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ srflx raddr 10.0.0.2 rport x", (int)WebRtcFormatProblem.InvalidValue)]
    [InlineData("candidate:1 1 udp 1 10.0.0.1 1 typ host generation", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ host generation", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ host gen\"x 0", (int)WebRtcFormatProblem.Malformed)]
    [InlineData("candidate:1 1 udp 2 10.0.0.1 9 typ host ufrag é", (int)WebRtcFormatProblem.Malformed)]
    public void BadLines_ThrowOurFormatException_WithTheProblem(string line, int problem)
    {
        var ex = Assert.Throws<WebRtcFormatException>(() => IceCandidateLine.Parse(line));

        Assert.Equal(WebRtcLayer.Ice, ex.Layer);
        Assert.True((WebRtcFormatProblem)problem == ex.Problem, $"expected {(WebRtcFormatProblem)problem}, got {ex.Problem}: {ex.Message}");
    }

    [Fact]
    public void OverlongLine_IsRefusedAsTooLarge()
    {
        var ex = Assert.Throws<WebRtcFormatException>(() => IceCandidateLine.Parse(ChromiumIpHost + new string(' ', 1100)));

        Assert.Equal(WebRtcFormatProblem.TooLarge, ex.Problem);
    }

    [Fact]
    public void MoreThan32Extensions_AreRefusedAsTooLarge()
    {
        string line = "candidate:1 1 udp 2 10.0.0.1 9 typ host" + string.Concat(Enumerable.Range(0, 33).Select(i => $" x{i} 1"));

        var ex = Assert.Throws<WebRtcFormatException>(() => IceCandidateLine.Parse(line));

        Assert.Equal(WebRtcFormatProblem.TooLarge, ex.Problem);
        Assert.Equal(32, IceCandidateLine.Parse("candidate:1 1 udp 2 10.0.0.1 9 typ host" + string.Concat(Enumerable.Range(0, 32).Select(i => $" x{i} 1"))).Extensions.Count);
    }

    [Fact]
    public void NullOrEmptyTrickledCandidate_MeansEndOfCandidates()
    {
        Assert.True(IceCandidateLine.IsEndOfCandidates(null));
        Assert.True(IceCandidateLine.IsEndOfCandidates(""));
        Assert.False(IceCandidateLine.IsEndOfCandidates("candidate:1 1 udp 2 10.0.0.1 9 typ host"));
        Assert.Equal(WebRtcFormatProblem.Malformed, Assert.Throws<WebRtcFormatException>(() => IceCandidateLine.Parse("")).Problem);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(8839)]
    public void MutatedLines_OnlyEverThrowOurFormatException(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        string[] sources =
        [
            ChromiumMdnsHost,
            ChromiumIpHost,
            "candidate:842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 0.0.0.0 rport 0 generation 0",
            "candidate:6 1 udp 2113937151 fe80::1%eth0 41339 typ host generation 0 ufrag /RtL network-cost 999",
        ];
        const string alphabet = " :.-0123456789abcdefxyz/+;%\t\u00e9";
        int parsed = 0;

        for (int round = 0; round < 5000; round++)
        {
            char[] chars = sources[random.Next(sources.Length)].ToCharArray();
            int edits = 1 + random.Next(4);
            for (int e = 0; e < edits; e++)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            try
            {
                IceCandidate candidate = IceCandidateLine.Parse(new string(chars));
                parsed++;

                // Whatever we accept we can write and read back to the same value.
                Assert.Equal(candidate, IceCandidateLine.Parse(IceCandidateLine.Format(candidate)));
            }
            catch (WebRtcFormatException)
            {
            }
        }

        output.WriteLine($"{parsed} of 5000 mutated lines still parsed");
        Assert.InRange(parsed, 1, 4999);
    }
}
