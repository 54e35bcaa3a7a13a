namespace P2PSync.Node.Tests.Discovery;

/// <summary>
/// A fact that needs a network namespace of its own (root and iproute2): real multicast is only
/// ever sent there, never on the host's interfaces. xunit 2 has no run-time skip, so the reason
/// is decided at discovery and reported as the skip reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (VethPair.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
