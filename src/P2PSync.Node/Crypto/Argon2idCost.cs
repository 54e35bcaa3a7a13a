namespace P2PSync.Node.Crypto;

/// <summary>
/// Argon2id work factors: passes over memory (<see cref="OpsLimit"/>) and memory in bytes
/// (<see cref="MemLimitBytes"/>). They travel with whatever they protect (e.g. a device export)
/// so a later, stronger default never locks out an old file; hence the bounds are checked on
/// construction, because a file could otherwise ask for terabytes.
/// </summary>
internal readonly record struct Argon2idCost
{
    /// <summary>libsodium's minimum passes for Argon2id.</summary>
    public const ulong MinOpsLimit = 1;

    /// <summary>libsodium's maximum passes (2^32 - 1).</summary>
    public const ulong MaxOpsLimit = uint.MaxValue;

    /// <summary>libsodium's minimum memory (8 KiB).</summary>
    public const long MinMemLimitBytes = 8192;

    /// <summary>libsodium's maximum memory for Argon2id on 64-bit (4 TiB - 1 KiB).</summary>
    public const long MaxMemLimitBytes = 4398046510080;

    /// <summary><c>crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE</c>.</summary>
    public const ulong InteractiveOpsLimit = 2;

    /// <summary><c>crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE</c> (64 MiB).</summary>
    public const long InteractiveMemLimitBytes = 64L * 1024 * 1024;

    /// <summary><c>crypto_pwhash_argon2id_OPSLIMIT_MODERATE</c>.</summary>
    public const ulong ModerateOpsLimit = 3;

    /// <summary><c>crypto_pwhash_argon2id_MEMLIMIT_MODERATE</c> (256 MiB).</summary>
    public const long ModerateMemLimitBytes = 256L * 1024 * 1024;

    public Argon2idCost(ulong opsLimit, long memLimitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opsLimit, MinOpsLimit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opsLimit, MaxOpsLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(memLimitBytes, MinMemLimitBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memLimitBytes, MaxMemLimitBytes);
        OpsLimit = opsLimit;
        MemLimitBytes = memLimitBytes;
    }

    /// <summary>For keys derived while a user waits (unlocking on start).</summary>
    public static Argon2idCost Interactive => new(InteractiveOpsLimit, InteractiveMemLimitBytes);

    /// <summary>For passphrase-protected exports that may sit on a disk or in a cloud folder.</summary>
    public static Argon2idCost Moderate => new(ModerateOpsLimit, ModerateMemLimitBytes);

    public ulong OpsLimit { get; }

    public long MemLimitBytes { get; }

    public override string ToString() => $"Argon2id(ops={OpsLimit}, mem={MemLimitBytes} bytes)";
}
