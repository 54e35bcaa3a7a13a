using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sdp;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>
/// Seeded mutations of the real samples (lines dropped, repeated, swapped, characters changed,
/// text cut): the parser refuses with its own exception, or what it accepts writes out as a
/// description that parses back to the same text. Nothing else may escape.
/// </summary>
public sealed class SdpMutationTests(ITestOutputHelper output)
{
    private const int Seed = 8866;
    private const int Rounds = 6000;
    private const string Noise = "=: /\r\n\t0123456789abcdefxyzABCDEF+-.\"\u00e9\u2713";

    [Fact]
    public void Mutated_descriptions_are_refused_cleanly_or_parsed_consistently()
    {
        output.WriteLine($"seed {Seed}, {Rounds} mutations");
        var random = new Random(Seed);
        var samples = SdpSamples.All.ToArray();
        var refused = 0;
        var problems = new HashSet<WebRtcFormatProblem>();
        for (var round = 0; round < Rounds; round++)
        {
            var input = Mutate(samples[random.Next(samples.Length)], random);
            SessionDescription parsed;
            try
            {
                parsed = SdpParser.Parse(input);
            }
            catch (WebRtcFormatException e)
            {
                Assert.Equal(WebRtcLayer.Sdp, e.Layer);
                Assert.Matches(@"^Sdp: (line \d+: )?", e.Message);
                problems.Add(e.Problem);
                refused++;
                continue;
            }

            var written = SdpWriter.Write(parsed);
            Assert.Equal(written, SdpWriter.Write(SdpParser.Parse(written)));
        }

        output.WriteLine($"refused {refused}; problems: {string.Join(", ", problems.Order())}");
        Assert.InRange(refused, Rounds / 10, Rounds - (Rounds / 10));
        Assert.True(problems.Count >= 5, $"only {problems.Count} kinds of refusal were reached");
    }

    private static string Mutate(string sample, Random random)
    {
        var lines = sample.Split("\r\n").ToList();
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits && lines.Count > 0; i++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(6))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                case 2:
                    (lines[at], lines[random.Next(lines.Count)]) = (lines[random.Next(lines.Count)], lines[at]);
                    break;
                case 3 when lines[at].Length > 0:
                    var chars = lines[at].ToCharArray();
                    chars[random.Next(chars.Length)] = Noise[random.Next(Noise.Length)];
                    lines[at] = new string(chars);
                    break;
                case 4:
                    lines[at] = lines[at][..random.Next(lines[at].Length + 1)];
                    break;
                default:
                    lines[at] = lines[at].Insert(random.Next(lines[at].Length + 1), Noise[random.Next(Noise.Length)].ToString());
                    break;
            }
        }

        return string.Join(random.Next(4) == 0 ? "\n" : "\r\n", lines);
    }
}
