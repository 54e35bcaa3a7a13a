using System.Buffers.Binary;
using P2PSync.Node.Crypto;
using P2PSync.Node.Security.Backup;

namespace P2PSync.Node.Tests.Security.Backup;

/// <summary>Backups for the tests, the cheapest Argon2id cost, and an independent writer of the file format.</summary>
internal static class BackupSamples
{
    public const string Passphrase = "correct horse battery staple";

    /// <summary>libsodium's minimum: one pass over 8 KiB, so the tests stay fast.</summary>
    public static readonly Argon2idCost Cheap = new(Argon2idCost.MinOpsLimit, Argon2idCost.MinMemLimitBytes);

    public static DeviceBackup Sample() => new(
        Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(),
        "alice-laptop",
        1_800_000_000_000,
        [
            new BackupSpace(
                Enumerable.Range(0x10, 16).Select(i => (byte)i).ToArray(), "Personal", true, 1_700_000_000_000,
                [[1, 2, 3]], [new BackupSpaceKey(0, new byte[32]), new BackupSpaceKey(1, Enumerable.Repeat((byte)7, 32).ToArray())]),
        ],
        [new BackupPeer(Enumerable.Repeat((byte)9, 32).ToArray(), "alice-phone", ["192.168.1.7:4000"], true)],
        [new BackupSeqFloor("notes", 42)]);

    /// <summary>
    /// A backup file written from the format page alone (not with the codec): header, AEAD over
    /// <paramref name="content"/> with the header as associated data, then the checksum.
    /// </summary>
    public static byte[] WriteByHand(byte[] content, string passphrase, ulong ops, ulong mem, byte version = 1)
    {
        var file = new byte[65 + content.Length + 16 + 32];
        "P2PSBAK1"u8.CopyTo(file);
        file[8] = version;
        BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(9), ops);
        BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(17), mem);
        new Random(5).NextBytes(file.AsSpan(25, 40));
        var key = new byte[32];
        Argon2id.DeriveKey(System.Text.Encoding.UTF8.GetBytes(passphrase), file.AsSpan(25, 16), new Argon2idCost(Math.Max(ops, 1), (long)Math.Max(mem, 8192)), key);
        XChaCha20Poly1305.Encrypt(key, file.AsSpan(41, 24), file.AsSpan(0, 65), content, file.AsSpan(65, content.Length + 16));
        FixChecksum(file);
        return file;
    }

    /// <summary>Recomputes the trailing checksum, as a deliberate forger would.</summary>
    public static void FixChecksum(byte[] file) => Sodium.Blake2b(file.AsSpan(file.Length - 32), file.AsSpan(0, file.Length - 32));

    /// <summary>The fields of a backup as one comparable string (records compare arrays by reference).</summary>
    public static string Describe(DeviceBackup backup) => string.Join(
        "\n",
        Convert.ToHexString(backup.DeviceSeed),
        backup.DeviceName,
        backup.CreatedMs,
        string.Join(";", backup.Spaces.Select(s =>
            $"{Convert.ToHexString(s.Id)} {s.Name} {s.Personal} {s.CreatedMs} [{string.Join(",", s.Entries.Select(Convert.ToHexString))}] [{string.Join(",", s.Keys.Select(k => $"{k.Epoch}:{Convert.ToHexString(k.Key)}"))}]")),
        string.Join(";", backup.Peers.Select(p => $"{Convert.ToHexString(p.Device)} {p.Name} {string.Join(",", p.Addresses)} {p.Trusted}")),
        string.Join(";", backup.SeqFloors.Select(f => $"{f.DocId}={f.NextSeq}")));
}
