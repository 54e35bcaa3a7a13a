using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security.Backup;

/// <summary>
/// Seals a <see cref="DeviceBackup"/> into a passphrase-protected file and opens it again
/// (docs/protocol/device-backup.md):
/// <code>
///  0          8     9            17           25        41         65                      65+n+16     +32
///  +----------+-----+------------+------------+---------+----------+-----------------------+-----------+
///  | P2PSBAK1 | ver | opslimit   | memlimit   | salt 16 | nonce 24 | XChaCha20-Poly1305    | checksum  |
///  | magic 8  | =1  | u64 BE     | u64 BE     |         |          | (key, nonce, JSON,    | BLAKE2b   |
///  |          |     |            | bytes      |         |          |  AAD = bytes 0..64)   | 256       |
///  +----------+-----+------------+------------+---------+----------+-----------------------+-----------+
///  key      = Argon2id(UTF-8 of the passphrase as typed, salt, opslimit, memlimit), 32 bytes
///  checksum = BLAKE2b-256 (unkeyed) of every byte before it
/// </code>
/// The cost travels in the header so a later, stronger default never locks out an old file; the
/// header is the AEAD's associated data, so it cannot be changed to weaken the key without the
/// passphrase check failing. The unkeyed checksum protects nothing; it tells the user "damaged
/// file" apart from "wrong passphrase" (an AEAD alone cannot), and it is checked before Argon2id
/// runs, so a damaged cost field cannot make a machine try to allocate terabytes.
/// </summary>
internal static class DeviceBackupCodec
{
    public const byte Version = 1;
    public const int SaltLength = Argon2id.SaltBytes;
    public const int NonceLength = XChaCha20Poly1305.NonceBytes;
    public const int ChecksumLength = 32;
    public const int HeaderLength = 65;
    public const int MinFileLength = HeaderLength + XChaCha20Poly1305.TagBytes + ChecksumLength;

    /// <summary>Most Argon2id passes a file may ask for: libsodium's "sensitive" level is 4.</summary>
    public const ulong MaxOpsLimit = 16;

    /// <summary>Most Argon2id memory a file may ask for: libsodium's "sensitive" level, 1 GiB.</summary>
    public const long MaxMemLimitBytes = 1L << 30;

    private const int VersionOffset = 8;
    private const int OpsOffset = 9;
    private const int MemOffset = 17;
    private const int SaltOffset = 25;
    private const int NonceOffset = SaltOffset + SaltLength;
    private const int KeyLength = XChaCha20Poly1305.KeyBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The first 8 bytes of every backup file.</summary>
    public static ReadOnlySpan<byte> Magic => "P2PSBAK1"u8;

    /// <summary>The cost a user's export gets: libsodium's "moderate" limits (3 passes, 256 MiB).</summary>
    public static Argon2idCost DefaultCost => Argon2idCost.Moderate;

    /// <summary>Seals with <see cref="DefaultCost"/>.</summary>
    public static byte[] Seal(DeviceBackup backup, string passphrase) => Seal(backup, passphrase, DefaultCost);

    /// <summary>The backup file for <paramref name="backup"/>, protected by <paramref name="passphrase"/>.</summary>
    /// <exception cref="ArgumentException">The passphrase is empty or not valid text, the content is invalid, or the cost is beyond what <see cref="Open"/> accepts.</exception>
    public static byte[] Seal(DeviceBackup backup, string passphrase, Argon2idCost cost)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        if (backup.FindProblem() is { } problem)
        {
            throw new ArgumentException($"The backup cannot be sealed: {problem}.", nameof(backup));
        }

        if (cost == default || FindCostProblem(cost.OpsLimit, (ulong)cost.MemLimitBytes) is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(cost), cost, $"A backup's cost is at most {MaxOpsLimit} passes and {MaxMemLimitBytes} bytes, so that it can be opened again.");
        }

        var plaintext = JsonSerializer.SerializeToUtf8Bytes(backup, DeviceBackupJsonContext.Default.DeviceBackup);
        var key = new byte[KeyLength];
        try
        {
            var file = new byte[HeaderLength + XChaCha20Poly1305.CiphertextLength(plaintext.Length) + ChecksumLength];
            Magic.CopyTo(file);
            file[VersionOffset] = Version;
            BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(OpsOffset), cost.OpsLimit);
            BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(MemOffset), (ulong)cost.MemLimitBytes);
            Sodium.RandomBytes(file.AsSpan(SaltOffset, SaltLength + NonceLength));
            DeriveKey(passphrase, file.AsSpan(SaltOffset, SaltLength), cost, key);

            var header = file.AsSpan(0, HeaderLength);
            var body = file.AsSpan(HeaderLength, file.Length - HeaderLength - ChecksumLength);
            XChaCha20Poly1305.Encrypt(key, file.AsSpan(NonceOffset, NonceLength), header, plaintext, body);
            Sodium.Blake2b(file.AsSpan(file.Length - ChecksumLength), file.AsSpan(0, file.Length - ChecksumLength));
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The backup inside <paramref name="file"/>.</summary>
    /// <exception cref="DeviceBackupException">Not a backup, another version, damaged, an unacceptable cost, the wrong passphrase, or invalid content.</exception>
    /// <exception cref="ArgumentException">The passphrase is not valid text (a broken surrogate pair).</exception>
    /// <exception cref="PasswordHashingFailedException">This machine cannot give Argon2id the memory the file asks for.</exception>
    public static DeviceBackup Open(ReadOnlySpan<byte> file, string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        var cost = ReadHeader(file);
        var key = new byte[KeyLength];
        var plaintext = new byte[file.Length - MinFileLength];
        try
        {
            DeriveKey(passphrase, file.Slice(SaltOffset, SaltLength), cost, key);
            try
            {
                XChaCha20Poly1305.Decrypt(
                    key, file.Slice(NonceOffset, NonceLength), file[..HeaderLength],
                    file[HeaderLength..^ChecksumLength], plaintext);
            }
            catch (DecryptionFailedException ex)
            {
                throw new DeviceBackupException(
                    DeviceBackupProblem.WrongPassphrase,
                    "The passphrase is wrong for this device backup (the file itself is intact, unless it was deliberately altered).",
                    ex);
            }

            return ReadContent(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    // Every check that needs no passphrase, cheapest first; the cost once the file is known to be intact.
    private static Argon2idCost ReadHeader(ReadOnlySpan<byte> file)
    {
        var magicPart = file[..Math.Min(file.Length, Magic.Length)];
        if (!Magic.StartsWith(magicPart) || file.Length == 0)
        {
            throw new DeviceBackupException(DeviceBackupProblem.NotABackup, "This file is not a p2psync device backup (it does not start with P2PSBAK1).");
        }

        if (file.Length > VersionOffset && file[VersionOffset] != Version)
        {
            throw new DeviceBackupException(
                DeviceBackupProblem.UnsupportedVersion,
                $"This device backup has format version {file[VersionOffset]}; this p2psync reads version {Version} only (was it written by a newer p2psync?).");
        }

        if (file.Length < MinFileLength)
        {
            throw new DeviceBackupException(
                DeviceBackupProblem.Damaged,
                $"This device backup is damaged: it is truncated ({file.Length} bytes; even an empty backup has {MinFileLength}).");
        }

        Span<byte> checksum = stackalloc byte[ChecksumLength];
        Sodium.Blake2b(checksum, file[..^ChecksumLength]);
        if (!checksum.SequenceEqual(file[^ChecksumLength..]))
        {
            throw new DeviceBackupException(
                DeviceBackupProblem.Damaged,
                "This device backup is damaged: it was truncated or some of its bytes changed (its checksum does not match).");
        }

        var ops = BinaryPrimitives.ReadUInt64BigEndian(file[OpsOffset..]);
        var mem = BinaryPrimitives.ReadUInt64BigEndian(file[MemOffset..]);
        if (FindCostProblem(ops, mem) is { } problem)
        {
            throw new DeviceBackupException(DeviceBackupProblem.UnsupportedCost, $"This device backup asks for {problem}; p2psync does not run that.");
        }

        return new Argon2idCost(ops, (long)mem);
    }

    private static string? FindCostProblem(ulong ops, ulong mem)
    {
        if (ops is < Argon2idCost.MinOpsLimit or > MaxOpsLimit)
        {
            return $"{ops} Argon2id passes (accepted: {Argon2idCost.MinOpsLimit} to {MaxOpsLimit})";
        }

        if (mem is < Argon2idCost.MinMemLimitBytes or > MaxMemLimitBytes)
        {
            return $"{mem} bytes of Argon2id memory (accepted: {Argon2idCost.MinMemLimitBytes} to {MaxMemLimitBytes})";
        }

        return null;
    }

    private static DeviceBackup ReadContent(byte[] plaintext)
    {
        DeviceBackup? backup;
        try
        {
            backup = JsonSerializer.Deserialize(plaintext, DeviceBackupJsonContext.Default.DeviceBackup);
        }
        catch (JsonException ex)
        {
            throw new DeviceBackupException(DeviceBackupProblem.InvalidContent, $"This device backup opened, but its content is not a backup this p2psync understands: {ex.Message}", ex);
        }

        var problem = backup is null ? "it is empty" : backup.FindProblem();
        if (problem is not null)
        {
            throw new DeviceBackupException(DeviceBackupProblem.InvalidContent, $"This device backup opened, but its content is not valid: {problem}.");
        }

        return backup!;
    }

    // The UTF-8 of exactly what was typed. Unicode normalisation would make composed and decomposed
    // accents match, but the node runs with invariant globalization, where Normalize does nothing for
    // non-ASCII text; a silent no-op would only pretend to help (see docs/protocol/device-backup.md).
    private static void DeriveKey(string passphrase, ReadOnlySpan<byte> salt, Argon2idCost cost, Span<byte> key)
    {
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(passphrase);
        }
        catch (EncoderFallbackException ex)
        {
            // Lenient UTF-8 would turn every broken character into U+FFFD, so different passphrases would open the same file.
            throw new ArgumentException("The passphrase is not valid text (it contains a broken surrogate pair).", nameof(passphrase), ex);
        }

        try
        {
            Argon2id.DeriveKey(bytes, salt, cost, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
