using System.Buffers.Binary;
using System.Text;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Backup;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Security.Spaces;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Security.Backup;

/// <summary>Device backup files: round trip, layout, and a distinct refusal for each way a file can be wrong.</summary>
public sealed class DeviceBackupCodecTests
{
    [Fact]
    public void A_sealed_backup_opens_with_its_passphrase_to_the_same_content()
    {
        var backup = BackupSamples.Sample();
        var file = DeviceBackupCodec.Seal(backup, BackupSamples.Passphrase, BackupSamples.Cheap);
        var opened = DeviceBackupCodec.Open(file, BackupSamples.Passphrase);
        Assert.Equal(BackupSamples.Describe(backup), BackupSamples.Describe(opened));
    }

    [Fact]
    public void The_file_has_the_documented_header_and_hides_the_content()
    {
        var backup = BackupSamples.Sample();
        var file = DeviceBackupCodec.Seal(backup, BackupSamples.Passphrase, BackupSamples.Cheap);

        Assert.Equal("P2PSBAK1"u8.ToArray(), file[..8]);
        Assert.Equal(1, file[8]);
        Assert.Equal(BackupSamples.Cheap.OpsLimit, BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(9)));
        Assert.Equal((ulong)BackupSamples.Cheap.MemLimitBytes, BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(17)));
        var json = Encoding.UTF8.GetBytes("{\"deviceSeed\":");
        Assert.Equal(65 + 16 + 32, file.Length - CountJson(backup));
        Assert.False(file.AsSpan().IndexOf(json) >= 0);
        Assert.False(file.AsSpan().IndexOf("alice-laptop"u8) >= 0);
        Assert.False(file.AsSpan().IndexOf(backup.DeviceSeed) >= 0);

        // Two seals of the same content differ (fresh salt and nonce).
        Assert.NotEqual(file, DeviceBackupCodec.Seal(backup, BackupSamples.Passphrase, BackupSamples.Cheap));
    }

    [Fact]
    public void A_file_written_by_hand_from_the_format_page_opens()
    {
        var json = Encoding.UTF8.GetBytes(
            "{\"deviceSeed\":\"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\",\"deviceName\":\"by hand\",\"createdMs\":5," +
            "\"spaces\":[],\"peers\":[],\"seqFloors\":[]}");
        var file = BackupSamples.WriteByHand(json, BackupSamples.Passphrase, 1, 8192);

        var opened = DeviceBackupCodec.Open(file, BackupSamples.Passphrase);

        Assert.Equal("by hand", opened.DeviceName);
        Assert.Equal(Enumerable.Range(1, 32).Select(i => (byte)i), opened.DeviceSeed);
    }

    [Fact]
    public void A_wrong_passphrase_is_told_apart_from_damage()
    {
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, BackupSamples.Cheap);
        AssertRefused(file, DeviceBackupProblem.WrongPassphrase, "passphrase is wrong", "Correct horse battery staple");
        AssertRefused(file, DeviceBackupProblem.WrongPassphrase, "passphrase is wrong", "");
    }

    [Fact]
    public void A_non_ascii_passphrase_round_trips()
    {
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), "caf\u00e9 \u6771\u4eac \ud83d\udd11", BackupSamples.Cheap);
        Assert.Equal("alice-laptop", DeviceBackupCodec.Open(file, "caf\u00e9 \u6771\u4eac \ud83d\udd11").DeviceName);
        AssertRefused(file, DeviceBackupProblem.WrongPassphrase, "passphrase is wrong", "cafe \u6771\u4eac \ud83d\udd11");
    }

    [Fact]
    public void Other_files_are_not_backups()
    {
        AssertRefused([], DeviceBackupProblem.NotABackup, "not a p2psync device backup");
        AssertRefused("PK\u0003\u0004 a zip file"u8.ToArray(), DeviceBackupProblem.NotABackup, "not a p2psync device backup");
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, BackupSamples.Cheap);
        file[7] = (byte)'2';
        AssertRefused(file, DeviceBackupProblem.NotABackup, "P2PSBAK1");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void An_unknown_version_is_refused_as_such(byte version)
    {
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, BackupSamples.Cheap);
        file[8] = version;
        AssertRefused(file, DeviceBackupProblem.UnsupportedVersion, $"format version {version}");
    }

    [Fact]
    public void Truncated_files_are_damaged()
    {
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, BackupSamples.Cheap);
        foreach (var length in new[] { 5, 8, 9, 64, 65, DeviceBackupCodec.MinFileLength - 1 })
        {
            AssertRefused(file[..length], DeviceBackupProblem.Damaged, "truncated");
        }

        AssertRefused(file[..^1], DeviceBackupProblem.Damaged, "checksum");
        AssertRefused(file[..(file.Length / 2)], DeviceBackupProblem.Damaged, "checksum");
        AssertRefused([.. file, 0], DeviceBackupProblem.Damaged, "checksum");
    }

    [Fact]
    public void Every_flipped_bit_after_the_magic_and_version_is_damage()
    {
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, BackupSamples.Cheap);
        for (var offset = 9; offset < file.Length; offset += 7)
        {
            var altered = (byte[])file.Clone();
            altered[offset] ^= (byte)(1 << (offset % 8));
            AssertRefused(altered, DeviceBackupProblem.Damaged, "checksum");
        }
    }

    [Fact]
    public void An_altered_header_with_a_recomputed_checksum_fails_the_passphrase_check()
    {
        // A forger weakens the cost and fixes the checksum: the header is associated data, so the AEAD still refuses.
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, new Argon2idCost(2, 16384));
        BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(9), 1);
        BackupSamples.FixChecksum(file);
        AssertRefused(file, DeviceBackupProblem.WrongPassphrase, "passphrase is wrong");
    }

    [Theory]
    [InlineData(0UL, 8192UL)]
    [InlineData(17UL, 8192UL)]
    [InlineData(1UL, 8191UL)]
    [InlineData(1UL, (1UL << 30) + 1)]
    [InlineData(1UL, ulong.MaxValue)]
    public void A_cost_outside_the_accepted_range_is_refused_before_any_work(ulong ops, ulong mem)
    {
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, BackupSamples.Cheap);
        BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(9), ops);
        BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(17), mem);
        BackupSamples.FixChecksum(file);
        AssertRefused(file, DeviceBackupProblem.UnsupportedCost, "Argon2id");
    }

    [Theory]
    [InlineData("not json at all", "not a backup this p2psync understands")]
    [InlineData("null", "it is empty")]
    [InlineData("{\"deviceSeed\":\"AQID\",\"deviceName\":\"x\",\"createdMs\":1,\"spaces\":[],\"peers\":[],\"seqFloors\":[]}", "device seed must be 32 bytes")]
    [InlineData("{\"deviceName\":\"x\",\"createdMs\":1,\"spaces\":[],\"peers\":[],\"seqFloors\":[]}", "not a backup this p2psync understands")]
    [InlineData("{\"deviceSeed\":\"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\",\"deviceName\":\"x\",\"createdMs\":1,\"spaces\":[],\"peers\":[],\"seqFloors\":[],\"newField\":1}", "not a backup this p2psync understands")]
    [InlineData("{\"deviceSeed\":\"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\",\"deviceName\":\"x\",\"createdMs\":1,\"spaces\":null,\"peers\":[],\"seqFloors\":[]}", "not a backup this p2psync understands")]
    [InlineData("{\"deviceSeed\":\"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\",\"deviceName\":\"x\",\"createdMs\":1,\"spaces\":[],\"peers\":[],\"seqFloors\":[{\"docId\":\"a/b\",\"nextSeq\":1}]}", "no valid document id")]
    public void Content_that_opens_but_is_not_a_valid_backup_is_refused(string json, string messagePart)
    {
        var file = BackupSamples.WriteByHand(Encoding.UTF8.GetBytes(json), BackupSamples.Passphrase, 1, 8192);
        AssertRefused(file, DeviceBackupProblem.InvalidContent, messagePart);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Seeded_mutations_are_always_refused_with_a_backup_error(int seed)
    {
        var file = DeviceBackupCodec.Seal(BackupSamples.Sample(), BackupSamples.Passphrase, BackupSamples.Cheap);
        var random = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var mutant = ByteMutator.Mutate(file, random);
            try
            {
                DeviceBackupCodec.Open(mutant, BackupSamples.Passphrase);
                Assert.Fail($"seed {seed}, case {i}: a mutated file opened");
            }
            catch (DeviceBackupException)
            {
                // Each refusal kind is covered by its own test; here only "refused, with our exception" matters.
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, case {i}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    [Fact]
    public void Seal_refuses_an_empty_passphrase_invalid_content_and_a_cost_it_could_not_open()
    {
        var backup = BackupSamples.Sample();
        Assert.Throws<ArgumentException>(() => DeviceBackupCodec.Seal(backup, "", BackupSamples.Cheap));
        Assert.Throws<ArgumentException>(() => DeviceBackupCodec.Seal(backup, "broken \ud800", BackupSamples.Cheap));
        Assert.Throws<ArgumentException>(() => DeviceBackupCodec.Seal(backup with { DeviceSeed = new byte[31] }, "p", BackupSamples.Cheap));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceBackupCodec.Seal(backup, "p", new Argon2idCost(17, 8192)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceBackupCodec.Seal(backup, "p", default));
        Assert.Equal(Argon2idCost.Moderate, DeviceBackupCodec.DefaultCost);
    }

    [Fact]
    public void A_directory_survives_backup_and_restore()
    {
        using var alice = new SpaceNode();
        using var bob = DeviceKey.Generate();
        var personal = alice.Spaces.Create("Personal", alice.Key, 5, personal: true, []);
        personal.NewKey?.Dispose();
        var shared = alice.CreateSpace("Shared");
        alice.Spaces.AddMember(shared, bob.Id, SpaceRole.Editor, alice.Key);
        alice.Spaces.Remove(shared, bob.Id, alice.Key).NewKey?.Dispose();
        var backup = new DeviceBackup(
            alice.Key.Seed.ToArray(), "alice", 9, [.. alice.Spaces.All.Select(BackupSpace.From)], [], [new BackupSeqFloor("notes", 3)]);

        var opened = DeviceBackupCodec.Open(DeviceBackupCodec.Seal(backup, "pw", BackupSamples.Cheap), "pw");
        using var restoredKey = DeviceKey.FromSeed(opened.DeviceSeed);
        using var restored = new SpaceDirectory(TimeProvider.System);
        foreach (var space in opened.Spaces)
        {
            restored.Load(space.Restore());
        }

        Assert.Equal(alice.Id, restoredKey.Id);
        Assert.Equal(DirectorySnapshot.Of(alice.Spaces), DirectorySnapshot.Of(restored));
        Assert.Equal(personal.Space.Id, restored.Personal?.Id);
        Assert.True(restored.Find(shared)!.Keys.TryGet(1, out var key));
        Assert.Equal(alice.KeyBytes(shared, 1), key.Bytes.ToArray());
    }

    [Fact]
    public void Printed_backups_and_keys_never_show_secrets()
    {
        var backup = BackupSamples.Sample();
        var text = backup.ToString() + backup.Spaces[0].Keys[1];
        Assert.DoesNotContain(Convert.ToBase64String(backup.DeviceSeed), text, StringComparison.Ordinal);
        Assert.DoesNotContain("7, 7, 7", text, StringComparison.Ordinal);
        Assert.Contains("DeviceSeed = (hidden)", text, StringComparison.Ordinal);
        Assert.Contains("Key = (hidden)", text, StringComparison.Ordinal);
    }

    private static int CountJson(DeviceBackup backup)
        => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(backup, DeviceBackupJsonContext.Default.DeviceBackup).Length;

    private static void AssertRefused(byte[] file, DeviceBackupProblem problem, string messagePart, string passphrase = BackupSamples.Passphrase)
    {
        var ex = Assert.Throws<DeviceBackupException>(() => DeviceBackupCodec.Open(file, passphrase));
        Assert.Equal(problem, ex.Problem);
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
    }
}
