using P2PSync.Protocol.Tests.YProtocols;
using P2PSync.Protocol.Wire;

namespace P2PSync.Protocol.Tests.Wire;

/// <summary>The seeded mutation check every envelope family runs: each mutated encoding decodes or raises <see cref="WireFormatException"/>, nothing else.</summary>
internal static class EnvelopeMutations
{
    public const int Iterations = 20_000;

    /// <summary>Mutates the encoded samples <see cref="Iterations"/> times; at least 1,000 must be refused (the mutations really break things).</summary>
    public static void AssertDecodeOrWireError(IEnumerable<Envelope> samples, int seed)
    {
        var random = new Random(seed);
        var encoded = samples.Select(EnvelopeCodec.Encode).ToArray();
        var rejected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = YProtocolsMalformedInputTests.Mutate(encoded[random.Next(encoded.Length)], random);
            try
            {
                EnvelopeCodec.Decode(bytes);
            }
            catch (WireFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i} ({Convert.ToHexString(bytes)}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(rejected > 1000, $"seed {seed}: only {rejected} of {Iterations} mutations were rejected");
    }
}
