using System.Text;
using System.Text.Json;
using P2PSync.Node.Transport.WebRtc.Signalling;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Signalling;

public sealed class SignalFrameTests(ITestOutputHelper output)
{
    [Fact]
    public void Writer_GoldenFrames()
    {
        Assert.Equal("{\"type\":\"subscribe\",\"topics\":[\"a\",\"b\"]}", Encoding.UTF8.GetString(SignalFrameWriter.Subscribe(["a", "b"])));
        Assert.Equal("{\"type\":\"unsubscribe\",\"topics\":[\"a\"]}", Encoding.UTF8.GetString(SignalFrameWriter.Unsubscribe(["a"])));
        Assert.Equal("{\"type\":\"ping\"}", Encoding.UTF8.GetString(SignalFrameWriter.Ping()));
        Assert.Equal(
            "{\"type\":\"publish\",\"topic\":\"r\\u00E9\",\"data\":\"ab==\"}",
            Encoding.UTF8.GetString(SignalFrameWriter.Publish("ré", SignallingClientTests.Json("\"ab==\""))));
    }

    [Theory]
    [InlineData("{\"type\":\"pong\"}", (int)SignalFrameKind.Pong)]
    [InlineData("{\"type\":\"publish\",\"topic\":\"t\",\"data\":[1],\"clients\":1}", (int)SignalFrameKind.Publish)]
    [InlineData("{\"type\":\"future\"}", (int)SignalFrameKind.Other)]
    [InlineData("{\"type\":\"publish\",\"topic\":[]}", (int)SignalFrameKind.Malformed)]
    [InlineData("{}", (int)SignalFrameKind.Malformed)]
    [InlineData("null", (int)SignalFrameKind.Malformed)]
    [InlineData("{\"type\":\"pong\"} trailing", (int)SignalFrameKind.Malformed)]
    public void Reader_Classifies(string text, int kind) =>
        Assert.Equal((SignalFrameKind)kind, SignalFrameReader.Read(Encoding.UTF8.GetBytes(text)).Kind);

    [Fact]
    public void Reader_RefusesDeepNesting()
    {
        var deep = "{\"type\":\"publish\",\"topic\":\"t\",\"data\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.Equal(SignalFrameKind.Malformed, SignalFrameReader.Read(Encoding.UTF8.GetBytes(deep)).Kind);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reader_SeededMutations_NeverThrow(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        byte[] original = SignalFrameWriter.Publish("topic", SignallingClientTests.Json("{\"type\":\"signal\",\"from\":\"a\",\"to\":\"b\",\"signal\":{\"sdp\":\"v=0\"}}"));
        var kinds = new Dictionary<SignalFrameKind, int>();
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var cut = random.Next(4) == 0 ? mutated[..random.Next(mutated.Length)] : mutated;
            var frame = SignalFrameReader.Read(cut);
            kinds[frame.Kind] = kinds.GetValueOrDefault(frame.Kind) + 1;
            if (frame.Kind == SignalFrameKind.Publish)
            {
                Assert.False(string.IsNullOrEmpty(frame.Message!.Topic));
                Assert.NotEqual(JsonValueKind.Undefined, frame.Message.Data.ValueKind);
            }
        }

        output.WriteLine(string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}")));
        Assert.True(kinds.GetValueOrDefault(SignalFrameKind.Malformed) > 100);
    }
}
