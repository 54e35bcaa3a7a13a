using P2PSync.Interop.Tests.Handoff;
using P2PSync.Interop.Tests.Node;
using P2PSync.Node.Identity;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// `p2psync device export` then `device import` onto a fresh data directory: the restored node is
/// the same device, holds the same spaces, catches up with what was written while it was away,
/// and goes on writing where the old one stopped (its records continue the old sequence, so its
/// peers take them instead of refusing them as a second, different record at a used seq).
/// </summary>
[Collection("node processes")]
public sealed class DeviceTransferProcessTests
{
    private const string Passphrase = "correct horse battery staple, but longer";

    // Which bit of the backup file the damaged copy has flipped; printed on failure.
    private const int DamageSeed = 7117;

    [Fact]
    public async Task ExportedDevice_ImportedOnAFreshDirectory_IsTheSameDevice_AndCatchesUp()
    {
        var work = Path.Combine(Path.GetTempPath(), "p2psync-transfer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            await RunAsync(work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task RunAsync(string work)
    {
        var passphraseFile = Path.Combine(work, "passphrase");
        await File.WriteAllTextAsync(passphraseFile, Passphrase + "\n");
        var wrongPassphraseFile = Path.Combine(work, "wrong-passphrase");
        await File.WriteAllTextAsync(wrongPassphraseFile, Passphrase + "!\n");
        var backup = Path.Combine(work, "alice-2.p2psbak");
        var restoredData = Path.Combine(work, "restored");

        await using var group = await NodeGroup.StartAsync("alice-1", "alice-2");
        var (a1, a2) = (group[0], group[1]);
        await a1.TrustAsync(a2);
        await a2.TrustAsync(a1);
        var space = await SpaceCli.NewSpaceAsync(a1, "Project");
        var shared = await SpaceCli.NewDocAsync(a1, "plan", space);
        var personal = await a1.CreateDocAsync("diary");
        foreach (var doc in new[] { shared, personal.Id })
        {
            await Eventually.TrueAsync(async () => await a2.TextAsync(doc) is not null, TimeSpan.FromSeconds(30), () => group.DescribeAsync(doc));
            await a2.AppendAsync(doc, "[a2 before export]");
            await NodeSyncProcessTests.ConvergedAsync(doc, ["[a2 before export]"], a1, a2);
        }

        await P2PSyncCli.SucceedAsync(a2, "device", "export", backup, "--passphrase-file", passphraseFile);
        Assert.True(File.Exists(backup), $"device export wrote no {backup}");
        Assert.Equal(0, await a2.StopAsync());
        foreach (var doc in new[] { shared, personal.Id })
        {
            await a1.AppendAsync(doc, "[a1 while a2 was away]");
        }

        await ImportRefusedAsync(restoredData, backup, wrongPassphraseFile, "passphrase is wrong");
        var damaged = Path.Combine(work, "damaged.p2psbak");
        var bytes = await File.ReadAllBytesAsync(backup);
        var random = new Random(DamageSeed);
        var at = random.Next(bytes.Length);
        bytes[at] ^= (byte)(1 << random.Next(8));
        await File.WriteAllBytesAsync(damaged, bytes);
        await ImportRefusedAsync(restoredData, damaged, passphraseFile, "backup", $"seed {DamageSeed}: bit flipped in byte {at} of {bytes.Length}");

        var imported = await P2PSyncCli.RunAsync(restoredData, TimeSpan.FromSeconds(120), "device", "import", backup, "--passphrase-file", passphraseFile);
        Assert.True(imported.Succeeded, imported.ToString());
        await using var restored = await NodeProcess.StartAsync("alice-2-restored", restoredData);
        Expect.Equal(a2.DeviceId, restored.DeviceId, "the restored node's device id", group);
        Expect.Equal("owner", (await restored.Http.SpaceAsync(space))?.Role, "the restored node's role in the shared space", group);
        Assert.Contains(space[..8], await SpaceCli.ListAsync(restored), StringComparison.Ordinal);

        foreach (var doc in new[] { shared, personal.Id })
        {
            await NodeSyncProcessTests.ConvergedAsync(doc, ["[a2 before export]", "[a1 while a2 was away]"], a1, restored);
            await restored.AppendAsync(doc, "[restored a2]");
            await NodeSyncProcessTests.ConvergedAsync(doc, ["[a2 before export]", "[a1 while a2 was away]", "[restored a2]"], a1, restored);
        }

        Assert.False(a1.Log.Contains($"refused from {restored.DeviceId[..8]}", StringComparison.Ordinal), $"A1 refused records of the restored device (its seq did not continue?)\n{group.Logs()}\n--- restored log ---\n{restored.Log}");
    }

    /// <summary>An import that must fail with a message naming the problem, and leave no device behind.</summary>
    private static async Task ImportRefusedAsync(string dataDirectory, string backup, string passphraseFile, string expectedWords, string? context = null)
    {
        var result = await P2PSyncCli.RunAsync(dataDirectory, TimeSpan.FromSeconds(120), "device", "import", backup, "--passphrase-file", passphraseFile);
        Assert.True(!result.Succeeded, $"{context} the import should be refused:\n{result}");
        Assert.True((result.Stdout + result.Stderr).Contains(expectedWords, StringComparison.OrdinalIgnoreCase), $"{context} the refusal should say \"{expectedWords}\":\n{result}");
        Assert.False(DeviceKeyStore.Exists(dataDirectory), $"{context} a refused import must not leave a device key in {dataDirectory}");
    }
}
