using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

public sealed class CrdtMergeCommandTests
{
    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Merge_ConcurrentParts_GivesTheSameBytesAsYjs(string format)
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out.bin");
        var args = new List<string> { "crdt", "merge", "--out", output };
        if (format == "v2")
        {
            args.Add("--v2");
        }

        args.AddRange(new[] { 0, 1, 2 }.Select(i => Fixtures.Path($"part{i}.{format}.bin")));

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), [.. args]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(File.ReadAllBytes(Fixtures.Path($"merged.{format}.bin")), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task Merge_OrderOfInputsDoesNotChangeTheResult()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out.bin");

        // Part 2 depends on part 0; applied first it waits as pending until part 0 arrives.
        var run = await CliRun.InvokeAsync(
            CliRun.EmptyEnvironment(dir.Path),
            "crdt", "merge", "--out", output,
            Fixtures.Path("part2.v1.bin"), Fixtures.Path("part1.v1.bin"), Fixtures.Path("part0.v1.bin"));

        Assert.True(run.ExitCode == 0, run.Error);
        var show = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "show", output, "--root", "text:text");
        Assert.Equal(Fixtures.Text("merged.expected.json"), show.Output.Trim());
    }

    [Fact]
    public async Task Merge_MalformedInput_NamesThatFileAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out.bin");
        var bad = dir.Combine("bad.bin");
        var part1 = File.ReadAllBytes(Fixtures.Path("part1.v1.bin"));
        File.WriteAllBytes(bad, part1[..^4]);

        var run = await CliRun.InvokeAsync(
            CliRun.EmptyEnvironment(dir.Path),
            "crdt", "merge", "--out", output, Fixtures.Path("part0.v1.bin"), bad);

        CliAssert.BadInput(run, bad);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Merge_V1FileReadAsV2_IsBadInput()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out.bin");
        var v1 = Fixtures.Path("mixed.v1.bin");

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "merge", "--v2", "--out", output, v1);

        CliAssert.BadInput(run, v1);
    }

    [Fact]
    public async Task Merge_WithoutInputs_IsAUsageError()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "merge", "--out", dir.Combine("o.bin"));

        Assert.Equal(1, run.ExitCode);
        Assert.NotEqual("", run.Error);
    }
}
