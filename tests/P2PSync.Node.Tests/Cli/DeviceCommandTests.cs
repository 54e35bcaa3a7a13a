using P2PSync.Node.Cli;
using P2PSync.Node.Crypto;
using P2PSync.Node.Security.Backup;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Api;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Cli;

/// <summary><c>device export</c> / <c>import</c>: the round trip, and every refusal leaving the target untouched.</summary>
public sealed class DeviceCommandTests
{
    private const string Passphrase = "correct horse battery";

    [Fact]
    public async Task ExportThenImport_RestoresIdentitySpacesKeysPeersAndSeqFloors()
    {
        using var old = new TempDirectory();
        using var fresh = new TempDirectory();
        using var mine = DeviceKey.Generate();
        using var colleague = DeviceKey.Generate();
        var oldEnv = Env(old.Path);
        await Ok(oldEnv, old.Path, "peer", "add", mine.Id.ToString(), "--addr", "192.0.2.1:7420");
        var team = Last(await Ok(oldEnv, old.Path, "space", "new", "team"));
        var doc = Last(await Ok(oldEnv, old.Path, "doc", "new", "plan", "--space", team));
        await Ok(oldEnv, old.Path, "doc", "append", doc, "one");
        await Ok(oldEnv, old.Path, "doc", "append", doc, "two");
        await Ok(oldEnv, old.Path, "space", "remove", "team", mine.Id.ToString());
        var file = Path.Combine(old.Path, "device.p2psbak");

        var exported = await Ok(oldEnv, old.Path, "device", "export", file);
        var imported = await Ok(Env(fresh.Path), fresh.Path, "device", "import", file);

        Assert.Contains("exported device", exported.Output, StringComparison.Ordinal);
        Assert.Contains("by sync", imported.Output, StringComparison.Ordinal);
        Assert.Equal((await Ok(oldEnv, old.Path, "id")).Output, (await Ok(Env(fresh.Path), fresh.Path, "id")).Output);
        // Same spaces, roles, members and key epochs; no documents yet (they come back by sync).
        var oldSpaces = (await Ok(oldEnv, old.Path, "space", "list")).Output.Split('\n');
        var newSpaces = (await Ok(Env(fresh.Path), fresh.Path, "space", "list")).Output.Split('\n');
        Assert.Equal(oldSpaces[1], newSpaces[1]);
        Assert.Matches($"^{team[..8]} +team +owner +1 +1 +1$", oldSpaces[2]);
        Assert.Matches($"^{team[..8]} +team +owner +1 +1 +0$", newSpaces[2]);
        Assert.Equal(
            (await Ok(oldEnv, old.Path, "space", "members", "team")).Output,
            (await Ok(Env(fresh.Path), fresh.Path, "space", "members", "team")).Output);
        Assert.Equal((await Ok(oldEnv, old.Path, "peer", "list")).Output, (await Ok(Env(fresh.Path), fresh.Path, "peer", "list")).Output);
        using (var store = NodeHost.OpenStore(fresh.Path, TimeProvider.System))
        using (var key = DeviceKeyStore.Load(fresh.Path))
        using (var spaces = new NodeSpaces(store.Spaces, store.Invites, key, new Lock(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            // Both epochs' keys were re-protected under the restored device's vault and read back.
            var restored = spaces.Resolve("team");
            Assert.Equal([0UL, 1UL], restored.Keys.Epochs);
            // Two appends were signed as seq 1 and 2 (plus any creation record): the restored device starts beyond them.
            using var oldStore = NodeHost.OpenStore(old.Path, TimeProvider.System);
            var ownMax = oldStore.Documents.LoadRecords(doc).Where(r => r.Author.AsSpan().SequenceEqual(key.PublicKey)).Max(r => r.Seq);
            Assert.Equal((long)ownMax + 1, store.Documents.OwnNextSeqFloor(doc));
        }
    }

    [Fact]
    public async Task Export_WhileTheNodeRuns_ReadsItsStore()
    {
        await using var node = await TestNode.StartAsync();
        using var fresh = new TempDirectory();
        var team = await Api.Spaces.SpaceApi.NewSpaceAsync(node, "team");
        var file = Path.Combine(fresh.Path, "..", Path.GetFileName(fresh.Path) + ".bak");
        try
        {
            await Ok(Env(node.DataDirectory), node.DataDirectory, "device", "export", file);
            var target = Path.Combine(fresh.Path, "data");
            await Ok(Env(target), target, "device", "import", file);

            Assert.Contains(team.Id[..8], (await Ok(Env(target), target, "space", "list")).Output, StringComparison.Ordinal);
            Assert.Equal(node.Host.DeviceId + "\n", (await Ok(Env(target), target, "id")).Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_WrongPassphraseDamagedOrNotABackup_HaveDistinctMessages_AndWriteNothing()
    {
        using var old = new TempDirectory();
        using var fresh = new TempDirectory();
        await Ok(Env(old.Path), old.Path, "space", "new", "team");
        var file = Path.Combine(old.Path, "b.bak");
        await Ok(Env(old.Path), old.Path, "device", "export", file);
        var bytes = await File.ReadAllBytesAsync(file);
        var damaged = Path.Combine(old.Path, "damaged.bak");
        var flipped = bytes.ToArray();
        flipped[flipped.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(damaged, flipped);
        var other = Path.Combine(old.Path, "other.txt");
        await File.WriteAllTextAsync(other, "hello");

        var wrong = await CliRun.InvokeAsync(Env(fresh.Path, "not the passphrase"), "device", "import", file, "--data", fresh.Path);
        var broken = await CliRun.InvokeAsync(Env(fresh.Path), "device", "import", damaged, "--data", fresh.Path);
        var notBackup = await CliRun.InvokeAsync(Env(fresh.Path), "device", "import", other, "--data", fresh.Path);
        var missing = await CliRun.InvokeAsync(Env(fresh.Path), "device", "import", Path.Combine(old.Path, "nope"), "--data", fresh.Path);

        AssertRefused(wrong, 2, "passphrase is wrong");
        AssertRefused(broken, 2, "damaged");
        AssertRefused(notBackup, 2, "not a p2psync device backup");
        AssertRefused(missing, 2, "cannot read");
        AssertNothingImported(fresh.Path);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public async Task Import_SeededMutationsOfABackup_AreRefusedAsBadInput(int seed)
    {
        using var old = new TempDirectory();
        using var fresh = new TempDirectory();
        await Ok(Env(old.Path), old.Path, "space", "new", "team");
        var file = Path.Combine(old.Path, "b.bak");
        await Ok(Env(old.Path), old.Path, "device", "export", file);
        var bytes = await File.ReadAllBytesAsync(file);
        var random = new Random(seed);

        for (var round = 0; round < 8; round++)
        {
            var mutated = ByteMutator.Mutate(bytes, random);
            if (mutated.AsSpan().SequenceEqual(bytes))
            {
                continue;
            }

            var path = Path.Combine(old.Path, $"m{round}.bak");
            await File.WriteAllBytesAsync(path, mutated);
            var run = await CliRun.InvokeAsync(Env(fresh.Path), "device", "import", path, "--data", fresh.Path);
            Assert.True(run.ExitCode == 2, $"seed {seed} round {round}: exit {run.ExitCode}: {run.Error}");
        }

        AssertNothingImported(fresh.Path);
    }

    [Fact]
    public async Task Import_ABackupWhoseSpaceLogOrPeerIsInvalid_IsRefusedBeforeWriting()
    {
        using var dir = new TempDirectory();
        using var key = DeviceKey.Generate();
        var cost = new Argon2idCost(Argon2idCost.MinOpsLimit, Argon2idCost.MinMemLimitBytes);
        var badLog = new DeviceBackup(
            key.Seed.ToArray(), "old laptop", 0, [new BackupSpace(new byte[16], "team", false, 0, [[1, 2, 3]], [])], [], []);
        var badPeer = new DeviceBackup(
            key.Seed.ToArray(), "old laptop", 0, [], [new BackupPeer(key.PublicKey.ToArray(), "me", ["no port"], true)], []);
        var logFile = Path.Combine(dir.Path, "log.bak");
        var peerFile = Path.Combine(dir.Path, "peer.bak");
        await File.WriteAllBytesAsync(logFile, DeviceBackupCodec.Seal(badLog, Passphrase, cost));
        await File.WriteAllBytesAsync(peerFile, DeviceBackupCodec.Seal(badPeer, Passphrase, cost));
        var target = Path.Combine(dir.Path, "data");

        AssertRefused(await CliRun.InvokeAsync(Env(target), "device", "import", logFile, "--data", target), 2, "space \"team\" is not valid");
        AssertRefused(await CliRun.InvokeAsync(Env(target), "device", "import", peerFile, "--data", target), 2, "is not valid");

        AssertNothingImported(target);
    }

    [Fact]
    public async Task Import_RefusesADirectoryWithAKeyOrARunningNode()
    {
        using var old = new TempDirectory();
        using var keyed = new TempDirectory();
        using var running = new TempDirectory();
        await Ok(Env(old.Path), old.Path, "space", "new", "team");
        var file = Path.Combine(old.Path, "b.bak");
        await Ok(Env(old.Path), old.Path, "device", "export", file);
        await Ok(Env(keyed.Path), keyed.Path, "init");
        var keyBefore = await File.ReadAllBytesAsync(DeviceKeyStore.PathIn(keyed.Path));
        ApiEndpointFile.Write(running.Path, new Uri("http://127.0.0.1:9/"), Environment.ProcessId);

        AssertRefused(await CliRun.InvokeAsync(Env(keyed.Path), "device", "import", file, "--data", keyed.Path), 1, "already has a device key");
        AssertRefused(await CliRun.InvokeAsync(Env(running.Path), "device", "import", file, "--data", running.Path), 1, "a node is running");

        Assert.Equal(keyBefore, await File.ReadAllBytesAsync(DeviceKeyStore.PathIn(keyed.Path)));
        Assert.False(DeviceKeyStore.Exists(running.Path));
    }

    [Fact]
    public async Task Export_Refusals_AndThePassphraseFile()
    {
        using var dir = new TempDirectory();
        using var empty = new TempDirectory();
        await Ok(Env(dir.Path), dir.Path, "space", "new", "team");
        var file = Path.Combine(dir.Path, "b.bak");
        var passphraseFile = Path.Combine(dir.Path, "pass.txt");
        await File.WriteAllTextAsync(passphraseFile, Passphrase + "\n");

        AssertRefused(await CliRun.InvokeAsync(Env(dir.Path, "short"), "device", "export", file, "--data", dir.Path), 2, "at least 8 characters");
        AssertRefused(await CliRun.InvokeAsync(Env(empty.Path), "device", "export", file, "--data", empty.Path), 1, "no device key");
        AssertRefused(await CliRun.InvokeAsync(Env(dir.Path), "device", "export", file, "--passphrase-file", Path.Combine(dir.Path, "nope"), "--data", dir.Path), 2, "cannot read the passphrase file");
        Assert.False(File.Exists(file));

        // The file's trailing line break is not part of the passphrase: the env passphrase opens it.
        var noEnvPassphrase = new NodeEnvironment(name => name == DeviceCommand.MinimumCostVariable ? "1" : null, dir.Path);
        var exported = await CliRun.InvokeAsync(noEnvPassphrase, "device", "export", file, "--passphrase-file", passphraseFile, "--data", dir.Path);
        Assert.True(exported.ExitCode == 0, exported.Error);
        AssertRefused(await CliRun.InvokeAsync(Env(dir.Path), "device", "export", file, "--data", dir.Path), 2, "already exists");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var target = Path.Combine(empty.Path, "restored");
        await Ok(Env(target), target, "device", "import", file);
    }

    private static NodeEnvironment Env(string home, string passphrase = Passphrase) =>
        new(name => name switch
        {
            PassphraseInput.EnvironmentVariable => passphrase,
            DeviceCommand.MinimumCostVariable => "1",
            _ => null,
        }, home);

    private static async Task<CliRun> Ok(NodeEnvironment env, string data, params string[] args)
    {
        var run = await CliRun.InvokeAsync(env, [.. args, "--data", data]);
        Assert.True(run.ExitCode == 0, $"p2psync {string.Join(' ', args)} exited {run.ExitCode}: {run.Error}");
        return run;
    }

    private static string Last(CliRun run) => run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];

    private static void AssertRefused(CliRun run, int exitCode, string fragment)
    {
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode}, got {run.ExitCode}: {run.Error}");
        Assert.Contains(fragment, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static void AssertNothingImported(string data)
    {
        Assert.False(DeviceKeyStore.Exists(data));
        if (File.Exists(Path.Combine(data, P2PSync.Node.Storage.NodeStore.FileName)))
        {
            using var store = NodeHost.OpenStore(data, TimeProvider.System);
            Assert.Empty(store.Spaces.ListSpaces());
            Assert.Empty(store.Peers.ListAll());
        }
    }
}
