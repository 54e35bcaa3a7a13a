using System.Text;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// The driver-output reader on lines the real drivers printed (werift 0.25.2, Chromium 156), on
/// hand-made bad lines, and on seeded mutations of the real ones: it returns a line or throws
/// <see cref="ControlProtocolException"/>, nothing else.
/// </summary>
public sealed class ControlLineParserTests
{
    /// <summary>Lines as the drivers printed them (SDP and base64 shortened).</summary>
    internal static readonly string[] RealLines =
    [
        """{"event":"ready","driver":"werift","version":"0.25.2"}""",
        """{"event":"ready","driver":"chromium","version":"156.0.8078.79","mdns":false}""",
        """{"reply":1,"ok":true,"result":{}}""",
        """{"reply":2,"ok":true,"result":{"label":"a","id":null,"ordered":true,"maxRetransmits":null,"protocol":""}}""",
        """{"reply":4,"ok":false,"error":"unknown command \"bogus\""}""",
        """{"reply":null,"ok":false,"error":"not JSON: Unexpected token 'x', \"xx\" is not valid JSON"}""",
        """{"event":"localCandidate","candidate":{"candidate":"candidate:3272385984 1 udp 2113937151 10.78.9.1 51650 typ host generation 0 ufrag Ot7B network-cost 999","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"Ot7B"}}""",
        """{"event":"localCandidate","candidate":null}""",
        """{"event":"localDescription","type":"offer","sdp":"v=0\r\no=- 8540527428900943046 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=setup:actpass\r\na=mid:0\r\n"}""",
        """{"event":"channelOpen","label":"chat","id":1,"ordered":true,"maxRetransmits":null,"protocol":""}""",
        """{"event":"channelMessage","label":"chat","text":"hello ✓ 🚀"}""",
        """{"event":"channelMessage","label":"chat","binary":"AAECAwQFBgc="}""",
        """{"event":"channelClose","label":"chat"}""",
        """{"event":"connectionState","state":"connected"}""",
        """{"event":"error","message":"page: boom"}""",
    ];

    private readonly ITestOutputHelper _output;

    public ControlLineParserTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Reads_every_kind_of_line_the_drivers_print()
    {
        var lines = RealLines.Select(ControlLineParser.Parse).ToList();

        Assert.Equal(new ReadyEvent("werift", "0.25.2"), lines[0]);
        var reply = Assert.IsType<PeerReply>(lines[3]);
        Assert.Equal(2, reply.Id);
        Assert.True(reply.Ok);
        Assert.Equal("a", reply.Result.GetProperty("label").GetString());
        Assert.Equal(new PeerReply(4, false, default, "unknown command \"bogus\""), lines[4]);
        Assert.Null(Assert.IsType<PeerReply>(lines[5]).Id);
        var candidate = Assert.IsType<LocalCandidateEvent>(lines[6]).Candidate!;
        Assert.StartsWith("candidate:3272385984 1 udp", candidate.Candidate, StringComparison.Ordinal);
        Assert.Equal(("0", 0, "Ot7B"), (candidate.SdpMid, candidate.SdpMLineIndex, candidate.UsernameFragment));
        Assert.Null(Assert.IsType<LocalCandidateEvent>(lines[7]).Candidate);
        var description = Assert.IsType<LocalDescriptionEvent>(lines[8]).Description;
        Assert.Equal("offer", description.Type);
        Assert.Contains("\r\na=setup:actpass\r\n", description.Sdp, StringComparison.Ordinal);
        Assert.Equal(new ChannelOpenEvent("chat", 1, true, null, ""), lines[9]);
        Assert.Equal("hello ✓ 🚀", Assert.IsType<ChannelMessageEvent>(lines[10]).Text);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }, Assert.IsType<ChannelMessageEvent>(lines[11]).Binary);
        Assert.Equal(new ChannelCloseEvent("chat"), lines[12]);
        Assert.Equal(new ConnectionStateEvent("connected"), lines[13]);
        Assert.Equal(new DriverErrorEvent("page: boom"), lines[14]);
    }

    [Theory]
    [InlineData("", "not JSON")]
    [InlineData("{\"event\":\"ready\"", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("\"ready\"", "not a JSON object")]
    [InlineData("{}", "exactly one of")]
    [InlineData("{\"event\":\"channelClose\",\"reply\":1,\"label\":\"x\"}", "exactly one of")]
    [InlineData("{\"event\":7}", "not a string")]
    [InlineData("{\"event\":\"teleport\"}", "unknown event")]
    [InlineData("{\"event\":\"ready\",\"driver\":\"werift\"}", "\"version\" missing")]
    [InlineData("{\"event\":\"localDescription\",\"type\":\"pranswer\",\"sdp\":\"v=0\"}", "neither offer nor answer")]
    [InlineData("{\"event\":\"localCandidate\"}", "missing \"candidate\"")]
    [InlineData("{\"event\":\"localCandidate\",\"candidate\":\"candidate:1\"}", "neither an object nor null")]
    [InlineData("{\"event\":\"localCandidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":\"0\"}}", "\"sdpMLineIndex\" is not an integer")]
    [InlineData("{\"event\":\"channelOpen\",\"label\":\"a\",\"id\":1.5,\"ordered\":true,\"protocol\":\"\"}", "\"id\" is not an integer")]
    [InlineData("{\"event\":\"channelOpen\",\"label\":\"a\",\"id\":1,\"ordered\":\"yes\",\"protocol\":\"\"}", "\"ordered\" missing or not true/false")]
    [InlineData("{\"event\":\"channelMessage\",\"label\":\"a\"}", "exactly one of \"text\" and \"binary\"")]
    [InlineData("{\"event\":\"channelMessage\",\"label\":\"a\",\"text\":\"t\",\"binary\":\"\"}", "exactly one of \"text\" and \"binary\"")]
    [InlineData("{\"event\":\"channelMessage\",\"label\":\"a\",\"text\":5}", "\"text\" is not a string")]
    [InlineData("{\"event\":\"channelMessage\",\"label\":\"a\",\"binary\":\"***\"}", "not base64")]
    [InlineData("{\"reply\":\"1\",\"ok\":true,\"result\":{}}", "neither an integer id nor null")]
    [InlineData("{\"reply\":1,\"ok\":1,\"result\":{}}", "\"ok\" missing or not true/false")]
    [InlineData("{\"reply\":1,\"ok\":true}", "needs a \"result\" object")]
    [InlineData("{\"reply\":1,\"ok\":false}", "\"error\" missing")]
    public void Refuses_a_bad_line_with_the_reason(string line, string reason)
    {
        var error = Assert.Throws<ControlProtocolException>(() => ControlLineParser.Parse(line));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shortens_a_long_bad_line_in_the_message()
    {
        var line = "{\"event\":\"channelMessage\",\"label\":\"a\",\"binary\":\"" + new string('!', 400_000) + "\"}";
        var error = Assert.Throws<ControlProtocolException>(() => ControlLineParser.Parse(line));
        Assert.True(error.Message.Length < 400, $"message is {error.Message.Length} chars");
    }

    [Theory]
    [InlineData(8101)]
    [InlineData(8102)]
    [InlineData(8103)]
    public void Mutated_real_lines_parse_or_throw_only_our_exception(int seed)
    {
        _output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        // Characters a mutation may insert: structure, quotes, escapes, digits, a lone surrogate.
        const string alphabet = "{}[]:,\"\\0123456789-.eE tfnul\u00e9\ud83d\u0000";
        int parsed = 0, refused = 0;
        for (var i = 0; i < 3000; i++)
        {
            var text = new StringBuilder(RealLines[random.Next(RealLines.Length)]);
            for (var edits = 1 + random.Next(4); edits > 0; edits--)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    case 1 when at < text.Length:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    default:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                }
            }

            try
            {
                ControlLineParser.Parse(text.ToString());
                parsed++;
            }
            catch (ControlProtocolException)
            {
                refused++;
            }
        }

        _output.WriteLine($"{parsed} parsed, {refused} refused");
        Assert.True(refused > 1000, $"only {refused} of 3000 mutations were refused");
        Assert.True(parsed > 0, "no mutation survived; the mutations are too coarse to test acceptance");
    }
}
