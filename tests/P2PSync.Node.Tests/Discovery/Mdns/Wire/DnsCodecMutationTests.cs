using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>
/// Damaged and random packets: the decoder either returns a valid message (one that encodes and
/// decodes to itself) or throws <see cref="DnsFormatException"/>; never another exception, never
/// a hang. Every failure names the seed that reproduces it.
/// </summary>
public sealed class DnsCodecMutationTests
{
    private const int Mutations = 30_000;

    /// <summary>Generous bound: a decode takes microseconds; only a loop could take this long.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MutatedPacketsDecodeOrAreRefused()
    {
        var corpus = Corpus();
        var accepted = 0;
        var run = Task.Run(() =>
        {
            var slowest = TimeSpan.Zero;
            for (var seed = 0; seed < Mutations; seed++)
            {
                var random = new Random(seed);
                var packet = PacketMutator.Mutate(corpus[random.Next(corpus.Count)], random);
                var watch = Stopwatch.StartNew();
                if (CheckDecodeOrRefuse(packet, $"mutation seed {seed}"))
                    accepted++;
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            }
            return slowest;
        });
        TimeSpan slowestDecode;
        try
        {
            slowestDecode = await run.WaitAsync(Budget);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{Mutations} mutated packets did not decode within {Budget}: a decode loops");
        }
        Assert.True(slowestDecode < TimeSpan.FromSeconds(1), $"slowest decode took {slowestDecode}");
        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        Assert.InRange(accepted, Mutations / 100, Mutations - Mutations / 100);
    }

    [Fact]
    public void ArbitraryBytesDecodeOrAreRefused()
    {
        // Random bodies behind a plausible header, so the parser gets past the counts check.
        var packets =
            from header in Gen.Choose(0, 3).ArrayOf(4)
            from body in ArbMap.Default.GeneratorFor<byte[]>()
            select (byte[])[0, 0, 0x84, 0, 0, (byte)header[0], 0, (byte)header[1], 0, (byte)header[2], 0, (byte)header[3], .. body];
        Prop.ForAll(Arb.From(packets), ArbMap.Default.ArbFor<byte[]>(), (packet, raw) =>
            {
                CheckDecodeOrRefuse(packet, $"packet {Hex.Format(packet)}");
                CheckDecodeOrRefuse(raw, $"raw {Hex.Format(raw)}");
                // Exceptions fail the property; both outcomes are fine otherwise.
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(3000)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(21, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None))));
    }

    /// <summary>True when the packet decoded (and round-tripped), false when it was refused.</summary>
    private static bool CheckDecodeOrRefuse(byte[] packet, string context)
    {
        DnsMessage message;
        try
        {
            message = DnsCodec.Decode(packet);
        }
        catch (DnsFormatException)
        {
            return false;
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: {e.GetType().Name} escaped the decoder: {e}");
        }
        // What the decoder accepts must be a message we can send and read back unchanged.
        try
        {
            Assert.Equal(message, DnsCodec.Decode(DnsCodec.Encode(message)));
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{context}: accepted message does not round trip: {e}");
        }
        return true;
    }

    private static List<byte[]> Corpus()
    {
        var corpus = new List<byte[]>();
        for (var seed = 0; seed < 40; seed++)
            corpus.Add(DnsCodec.Encode(new RandomDnsMessages(1000 + seed).Message()));
        return corpus;
    }
}
