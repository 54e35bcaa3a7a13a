namespace P2PSync.Node.Tests.Crypto;

/// <summary>
/// A fact that needs a huge allocation to fail cleanly. With Linux overcommit mode 1 ("always") the
/// allocation would succeed and Argon2 would then fill it until the OOM killer struck, so the test is
/// skipped there, visibly, rather than endangering the machine.
/// </summary>
internal sealed class FactUnlessMemoryOvercommitsAttribute : FactAttribute
{
    private const string OvercommitSetting = "/proc/sys/vm/overcommit_memory";

    public FactUnlessMemoryOvercommitsAttribute()
    {
        if (File.Exists(OvercommitSetting) && File.ReadAllText(OvercommitSetting).Trim() == "1")
        {
            Skip = "vm.overcommit_memory = 1: a 4 TiB allocation would succeed and exhaust memory.";
        }
    }
}
