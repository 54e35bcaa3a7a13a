using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sdp;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>
/// Seeded mutations of the real Chromium and werift descriptions, aimed at what authenticates the
/// peer (the a=fingerprint lines, their hash names and hex, the ICE credentials) and fed through the
/// whole path a remote description takes: parse, then answer it (offers) or accept it against our
/// offer (answers). Each one is refused with the SDP layer's exception, or it settles a session whose
/// fingerprints are all verifiable and were all in the description. Nothing else may escape.
/// </summary>
public sealed class OfferAnswerMutationTests(ITestOutputHelper output)
{
    private const int Seed = 8827;
    private const int Rounds = 4000;

    private const string HexNoise = "0123456789ABCDEFabcdefG:: -";

    // Hash names a peer might write, split on '|': ones we compute, ones RFC 8122 lists that we do not, private ones, junk.
    private const string HashNameChoices = "sha-256|SHA-256|sha-1|sha-512|md5|md2|sha-224|x-hash|sha256|sha-256\u00e9|";

    [Fact]
    public void Mutated_fingerprints_are_refused_cleanly_or_settle_only_verifiable_ones()
    {
        output.WriteLine($"seed {Seed}, {Rounds} mutations");
        var random = new Random(Seed);
        var samples = new (string Sdp, bool IsOffer)[]
        {
            (SdpSamples.ChromiumOfferFromNotes, true),
            (SdpSamples.ChromiumOfferMdns, true),
            (SdpSamples.WeriftOffer, true),
            (SdpSamples.ChromiumAnswerToWerift, false),
            (SdpSamples.WeriftAnswer, false),
            (SdpSamples.ChromiumAnswerToOurOffer, false),
            (SdpSamples.WeriftAnswerToOurOffer, false),
        };
        var refusals = new Dictionary<(bool ByOfferAnswer, WebRtcFormatProblem Problem), int>();
        var settled = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var (sample, isOffer) = samples[random.Next(samples.Length)];
            var input = Mutate(sample, random);
            SessionDescription parsed;
            try
            {
                parsed = SdpParser.Parse(input);
            }
            catch (WebRtcFormatException e)
            {
                Count(refusals, false, e);
                continue;
            }

            NegotiatedSession session;
            try
            {
                session = isOffer
                    ? OfferAnswer.Answer(parsed, OfferAnswerFixtures.Local).Negotiated
                    : OfferAnswer.AcceptAnswer(OfferAnswerFixtures.OurOffer, parsed);
            }
            catch (WebRtcFormatException e)
            {
                Count(refusals, true, e);
                continue;
            }

            settled++;
            Assert.NotEmpty(session.RemoteFingerprints);
            Assert.All(session.RemoteFingerprints, f => Assert.True(f.CanVerify, $"round {round}: {f} settled but cannot be verified"));
            Assert.All(session.RemoteFingerprints, f => Assert.Contains(f, parsed.DataSection!.Fingerprints));
        }

        output.WriteLine($"settled {settled}; refusals: {string.Join(", ", refusals.OrderBy(r => r.Key.ToString()).Select(r => $"{(r.Key.ByOfferAnswer ? "OfferAnswer" : "parser")} {r.Key.Problem} x{r.Value}"))}");
        Assert.InRange(settled, Rounds / 10, Rounds - (Rounds / 10));
        Assert.True(refusals.GetValueOrDefault((true, WebRtcFormatProblem.Unsupported)) >= Rounds / 20, "too few descriptions with only unverifiable hashes reached OfferAnswer");
        Assert.True(refusals.GetValueOrDefault((false, WebRtcFormatProblem.Missing)) > 0, "no description lost its fingerprint");
        Assert.True(refusals.GetValueOrDefault((false, WebRtcFormatProblem.Malformed)) > 0, "no fingerprint was malformed");
    }

    private static void Count(Dictionary<(bool, WebRtcFormatProblem), int> refusals, bool byOfferAnswer, WebRtcFormatException e)
    {
        Assert.Equal(WebRtcLayer.Sdp, e.Layer);
        Assert.StartsWith("Sdp: ", e.Message, StringComparison.Ordinal);
        refusals[(byOfferAnswer, e.Problem)] = refusals.GetValueOrDefault((byOfferAnswer, e.Problem)) + 1;
    }

    private static string Mutate(string sample, Random random)
    {
        var lines = sample.Split("\r\n").ToList();
        var edits = random.Next(1, 3);
        for (var i = 0; i < edits; i++)
        {
            var at = lines.FindIndex(l => l.StartsWith("a=fingerprint:", StringComparison.Ordinal));
            if (at < 0)
            {
                break;
            }

            var value = lines[at]["a=fingerprint:".Length..];
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            var (name, hex) = space < 0 ? (value, "") : (value[..space], value[(space + 1)..]);
            switch (random.Next(8))
            {
                case 0 or 1:
                    lines[at] = $"a=fingerprint:{HashName(random)} {hex}";
                    break;
                case 2:
                    lines.Insert(at + 1, $"a=fingerprint:{HashName(random)} {RandomHex(random)}");
                    break;
                case 3:
                    lines.RemoveAt(at);
                    break;
                case 4 when hex.Length > 0:
                    var chars = hex.ToCharArray();
                    chars[random.Next(chars.Length)] = HexNoise[random.Next(HexNoise.Length)];
                    lines[at] = $"a=fingerprint:{name} {new string(chars)}";
                    break;
                case 5:
                    lines[at] = lines[at][..random.Next("a=fingerprint:".Length, lines[at].Length + 1)];
                    break;
                case 6:
                    // Moved to session level (before the first m=), where it still applies when the section has none.
                    lines.RemoveAt(at);
                    lines.Insert(lines.FindIndex(l => l.StartsWith("m=", StringComparison.Ordinal)), $"a=fingerprint:{HashName(random)} {hex}");
                    break;
                default:
                    var credential = lines.FindIndex(l => l.StartsWith(random.Next(2) == 0 ? "a=ice-ufrag:" : "a=ice-pwd:", StringComparison.Ordinal));
                    if (credential >= 0)
                    {
                        lines.RemoveAt(credential);
                    }

                    break;
            }
        }

        return string.Join("\r\n", lines);
    }

    private static string HashName(Random random)
    {
        var names = HashNameChoices.Split('|');
        return names[random.Next(names.Length)];
    }

    private static string RandomHex(Random random)
    {
        var bytes = new byte[random.Next(4) switch { 0 => 16, 1 => 20, 2 => 32, _ => random.Next(1, 70) }];
        random.NextBytes(bytes);
        return string.Join(':', bytes.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
