using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

public sealed class CrdtShowCommandTests
{
    private static readonly string[] AllRoots = ["--root", "t:text", "--root", "a:array", "--root", "m:map", "--root", "x:xml"];

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Show_PrintsEveryRootLikeYjsToJson(string format)
    {
        using var dir = new TempDirectory();
        string[] args = ["crdt", "show", Fixtures.Path($"mixed.{format}.bin"), .. AllRoots];
        if (format == "v2")
        {
            args = [.. args, "--v2"];
        }

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), args);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(Fixtures.Text("mixed.expected.json"), run.Output.TrimEnd('\n'));
    }

    [Fact]
    public async Task Show_RootsAreKeyedByNameInSortedOrder()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(
            CliRun.EmptyEnvironment(dir.Path),
            "crdt", "show", Fixtures.Path("mixed.v1.bin"), "--root", "x:xml", "--root", "t:text");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("{\"t\":\"hello world 😀!\",\"x\":\"<p class=\\\"c1\\\">para</p>tail\"}", run.Output.Trim());
    }

    [Fact]
    public async Task Show_AbsentRootIsEmpty()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(
            CliRun.EmptyEnvironment(dir.Path),
            "crdt", "show", Fixtures.Path("mixed.v1.bin"), "--root", "none:map", "--root", "nada:array", "--root", "nil:text");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("{\"nada\":[],\"nil\":\"\",\"none\":{}}", run.Output.Trim());
    }

    [Theory]
    [InlineData("t")]
    [InlineData("t:list")]
    [InlineData(":text")]
    public async Task Show_BadRootSpec_IsAUsageError(string spec)
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "show", Fixtures.Path("mixed.v1.bin"), "--root", spec);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"root '{spec}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_SameRootWithTwoKinds_IsAUsageError()
    {
        using var dir = new TempDirectory();

        var run = await CliRun.InvokeAsync(
            CliRun.EmptyEnvironment(dir.Path),
            "crdt", "show", Fixtures.Path("mixed.v1.bin"), "--root", "t:text", "--root", "t:map");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'t'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_EmptyFile_IsBadInput()
    {
        using var dir = new TempDirectory();
        var empty = dir.Combine("empty.bin");
        File.WriteAllBytes(empty, []);

        var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), "crdt", "show", empty, "--root", "t:text");

        CliAssert.BadInput(run, empty);
    }

    // Seeded mutations of a real update: every outcome is either a clean result or a one-line
    // bad-input error; never a crash, a hang or a stack trace.
    [Theory]
    [InlineData("v1", 1)]
    [InlineData("v1", 2)]
    [InlineData("v2", 3)]
    [InlineData("v2", 4)]
    public async Task Show_MutatedUpdates_FailCleanlyOrSucceed(string format, int seed)
    {
        using var dir = new TempDirectory();
        var original = File.ReadAllBytes(Fixtures.Path($"mixed.{format}.bin"));
        var random = new Random(seed);
        var path = dir.Combine("mutated.bin");
        for (var i = 0; i < 50; i++)
        {
            var bytes = Mutate(original, random);
            File.WriteAllBytes(path, bytes);
            string[] args = ["crdt", "show", path, .. AllRoots];
            if (format == "v2")
            {
                args = [.. args, "--v2"];
            }

            var run = await CliRun.InvokeAsync(CliRun.EmptyEnvironment(dir.Path), args);

            if (run.ExitCode != 0)
            {
                CliAssert.BadInput(run, path);
            }
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(3))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            default:
                var at = random.Next(bytes.Length);
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
        }
    }
}
