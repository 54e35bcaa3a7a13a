namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// A fact that needs network namespaces (root, iproute2). xunit 2 has no run-time skip, so the
/// reason is decided when the test is discovered and reported as the skip reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (MdnsEnvironment.NamespaceSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
