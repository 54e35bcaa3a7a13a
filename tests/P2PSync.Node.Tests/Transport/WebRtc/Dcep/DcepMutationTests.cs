using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dcep;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dcep;

/// <summary>
/// Seeded mutations of real OPEN messages: the codec either refuses with its own exception or
/// returns a message whose encoding is exactly the input (the format has one encoding per message).
/// </summary>
public sealed class DcepMutationTests(ITestOutputHelper output)
{
    private const int Seed = 8832;
    private const int Rounds = 20_000;

    [Fact]
    public void Mutated_opens_are_refused_cleanly_or_read_canonically()
    {
        output.WriteLine($"seed {Seed}, {Rounds} mutations");
        var random = new Random(Seed);
        byte[][] originals = [DcepCodecTests.ChromiumChatOpen, DcepCodecTests.ChromiumUnreliableOpen, [0x02]];
        var refused = 0;
        var problems = new HashSet<WebRtcFormatProblem>();
        for (var round = 0; round < Rounds; round++)
        {
            var input = Mutate(originals[random.Next(originals.Length)], random);
            try
            {
                var message = DcepCodec.Read(input);
                Assert.Equal(input, DcepCodec.ToArray(message));
            }
            catch (WebRtcFormatException e)
            {
                Assert.Equal(WebRtcLayer.Dcep, e.Layer);
                problems.Add(e.Problem);
                refused++;
            }
        }

        output.WriteLine($"refused {refused}, problems: {string.Join(", ", problems)}");
        // Both outcomes must really happen, or the mutator is too weak or too strong to prove anything.
        Assert.InRange(refused, Rounds / 10, Rounds - (Rounds / 20));
        Assert.Superset(
            new HashSet<WebRtcFormatProblem> { WebRtcFormatProblem.Truncated, WebRtcFormatProblem.LengthMismatch, WebRtcFormatProblem.InvalidValue, WebRtcFormatProblem.Unsupported },
            problems);
    }

    [Fact]
    public void Any_open_round_trips()
    {
        var types = Enum.GetValues<DataChannelType>();
        // Text without lone surrogates: those cannot be written as UTF-8, which the codec refuses with ArgumentException.
        var text = Gen.Elements("a", "Z", "0", " ", "/", "é", "ß", "✓", "😀", "\u0000", "\t")
            .ListOf().Select(parts => string.Concat(parts));
        var opens =
            from type in Gen.Elements(types)
            from priority in Gen.Choose(0, ushort.MaxValue)
            from parameter in Gen.Choose(int.MinValue, int.MaxValue)
            from label in text
            from protocol in text
            select new DataChannelOpen(type, (ushort)priority, unchecked((uint)parameter), label, protocol);

        Prop.ForAll(Arb.From(opens), open => DcepCodec.Read(DcepCodec.ToArray(open)).Equals(open))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None))));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits; i++)
        {
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 3:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList();
                    break;
            }
        }

        return [.. bytes];
    }
}
