using System.IO.Compression;
using System.Text;
using System.Text.Json;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

public sealed class CrdtReplayCommandTests
{
    [Theory]
    [InlineData("sequential/sveltecomponent.json.gz", 18_451, "d8bb93b7cf87b4c3a0394fddc028284a093d90d5794a213d1ccb0794eb4ede8f")]
    [InlineData("sequential/json-crdt-patch.json.gz", 49_302, "9540c169a3b43734e045b140e0ece3dec26e48e5b26795a4b600384f92cf2177")]
    // egwalker passes through astral characters, so it checks the code point -> UTF-16 mapping.
    [InlineData("sequential/egwalker.json.gz", 122_271, "919594197c2eac21497c19ff0e719c31d27a4b37dccce08b8bfaeb6725b00ff1")]
    public async Task Replay_RealTrace_ReachesTheDocumentedText(string trace, int length, string sha256)
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "replay", "--trace", RepoPaths.Trace(trace));

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(length, json.RootElement.GetProperty("len").GetInt32());
        Assert.Equal(sha256, json.RootElement.GetProperty("sha256").GetString());
        Assert.True(json.RootElement.GetProperty("updateBytes").GetInt32() > 0);
        Assert.True(json.RootElement.GetProperty("ms").GetDouble() >= 0);
        Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Replay_SmallTrace_PrintsExactLengthHashAndUpdateSize()
    {
        using var dir = new TempDirectory();
        var trace = WriteTrace(dir, "small.json.gz", "ab\U0001F600c", """[{"patches":[[0,0,"a\ud83d\ude00c"]]},{"patches":[[1,0,"b"]]}]""");

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "replay", "--trace", trace);

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(5, json.RootElement.GetProperty("len").GetInt32());
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("ab\U0001F600c"))),
            json.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Replay_WrongEndContent_FailsLoudly()
    {
        using var dir = new TempDirectory();
        var trace = WriteTrace(dir, "wrong.json.gz", "not this", """[{"patches":[[0,0,"abc"]]}]""");

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "replay", "--trace", trace);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("differs from endContent at UTF-16 index 0", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{\"patches\":[[5,0,\"a\"]]}]}")]
    [InlineData("{\"kind\":\"concurrent\",\"endContent\":\"\",\"txns\":[]}")]
    public async Task Replay_MalformedTrace_IsOneLineNamingTheFileWithExitCode2(string content)
    {
        using var dir = new TempDirectory();
        var trace = dir.Combine("bad.json");
        File.WriteAllText(trace, content);

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "replay", "--trace", trace);

        CliAssert.BadInput(run, trace);
    }

    [Fact]
    public async Task Replay_MissingFile_IsBadInput()
    {
        using var dir = new TempDirectory();
        var trace = dir.Combine("missing.json.gz");

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "replay", "--trace", trace);

        CliAssert.BadInput(run, trace);
    }

    private static string WriteTrace(TempDirectory dir, string name, string endContent, string txnsJson)
    {
        var path = dir.Combine(name);
        var json = $"{{\"startContent\":\"\",\"endContent\":{JsonSerializer.Serialize(endContent)},\"txns\":{txnsJson}}}";
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(json));
        return path;
    }
}
