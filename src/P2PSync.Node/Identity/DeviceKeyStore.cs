using P2PSync.Node.Crypto;

namespace P2PSync.Node.Identity;

/// <summary>
/// Reads and writes <c>device.key</c> in the data directory.
/// </summary>
/// <remarks>
/// File layout (72 bytes, mode 0600):
/// <code>
///   0        8                   40                  72
///   +--------+-------------------+-------------------+
///   |P2PSKEY1| Ed25519 seed (32) | public key (32)   |
///   +--------+-------------------+-------------------+
/// </code>
/// The public key is stored next to the seed only as a self-check: a damaged file whose seed no
/// longer yields that key is refused rather than silently becoming a different device.
/// A file readable by group or others is refused too: the key is the device's identity.
/// </remarks>
internal static class DeviceKeyStore
{
    public const string FileName = "device.key";
    public const int FileLength = 72;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static ReadOnlySpan<byte> Magic => "P2PSKEY1"u8;

    /// <summary>Where the key of the node in <paramref name="dataDir"/> lives.</summary>
    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    /// <summary>True when the data directory already has a key file (valid or not).</summary>
    public static bool Exists(string dataDir) => File.Exists(PathIn(dataDir));

    /// <summary>Loads the device key.</summary>
    /// <exception cref="DeviceKeyException">No key yet ("run p2psync init"), wrong permissions, wrong size or damaged.</exception>
    public static DeviceKey Load(string dataDir)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path))
        {
            throw new DeviceKeyException(path, "no device key here yet; run 'p2psync init' to create one.");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                throw new DeviceKeyException(path, $"permissions are {FormatMode(mode)}, but a device key must be readable by its owner only; run 'chmod 600 {path}'.");
            }
        }

        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length != FileLength)
            {
                throw new DeviceKeyException(path, $"is {length} bytes, but a device key file is {FileLength} bytes; it is not a p2psync key or it is damaged.");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceKeyException(path, $"cannot be read: {ex.Message}", ex);
        }

        try
        {
            return Decode(path, bytes);
        }
        finally
        {
            Sodium.MemZero(bytes);
        }
    }

    /// <summary>Loads the key, creating one first when the data directory has none.</summary>
    public static DeviceKey LoadOrCreate(string dataDir) =>
        Exists(dataDir) ? Load(dataDir) : Create(dataDir, overwrite: false);

    /// <summary>
    /// Generates a new key and writes it with mode 0600. The file appears whole or not at all
    /// (written to a temporary name, flushed, then renamed).
    /// </summary>
    /// <exception cref="DeviceKeyException">A key exists and <paramref name="overwrite"/> is false, or the file cannot be written.</exception>
    public static DeviceKey Create(string dataDir, bool overwrite) => Write(dataDir, DeviceKey.Generate, overwrite);

    /// <summary>
    /// Writes the key of a device restored from a backup (<c>p2psync device import</c>), exactly
    /// as <see cref="Create"/> writes a new one (mode 0600, whole or not at all); never over an existing key.
    /// </summary>
    /// <exception cref="DeviceKeyException">A key exists, or the file cannot be written.</exception>
    public static DeviceKey Restore(string dataDir, byte[] seed) => Write(dataDir, () => DeviceKey.FromSeed(seed), overwrite: false);

    private static DeviceKey Write(string dataDir, Func<DeviceKey> makeKey, bool overwrite)
    {
        var path = PathIn(dataDir);
        if (!overwrite && File.Exists(path))
        {
            throw new DeviceKeyException(path, "a device key already exists; replacing it gives this device a new identity (use --force to do that).");
        }

        var key = makeKey();
        var bytes = Encode(key);
        var temp = path + ".tmp";
        try
        {
            CreateDirectory(dataDir);
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // A leftover temp file from a crash may have been created with other bits.
                File.SetUnixFileMode(temp, OwnerOnly);
            }

            File.Move(temp, path, overwrite);
            return key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            key.Dispose();
            TryDelete(temp);
            var problem = !overwrite && File.Exists(path)
                ? "a device key already exists; replacing it gives this device a new identity (use --force to do that)."
                : $"cannot write the device key: {ex.Message}";
            throw new DeviceKeyException(path, problem, ex);
        }
        finally
        {
            Sodium.MemZero(bytes);
        }
    }

    private static byte[] Encode(DeviceKey key)
    {
        var bytes = new byte[FileLength];
        Magic.CopyTo(bytes);
        key.Seed.CopyTo(bytes.AsSpan(8, 32));
        key.PublicKey.CopyTo(bytes.AsSpan(40, 32));
        return bytes;
    }

    private static DeviceKey Decode(string path, byte[] bytes)
    {
        if (!bytes.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new DeviceKeyException(path, "does not start with the p2psync key header; it is not a p2psync device key.");
        }

        var key = DeviceKey.FromSeed(bytes.AsSpan(8, 32));
        if (!key.PublicKey.SequenceEqual(bytes.AsSpan(40, 32)))
        {
            key.Dispose();
            throw new DeviceKeyException(path, "is damaged: its secret part no longer matches its public key.");
        }

        return key;
    }

    private static void CreateDirectory(string dataDir)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDir);
        }
        else
        {
            Directory.CreateDirectory(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temp file is harmless and is replaced on the next attempt.
        }
    }

    private static string FormatMode(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}
