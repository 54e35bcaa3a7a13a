using P2PSync.Interop.Tests.Mdns;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A fact that only needs network namespaces (root and iproute2), no browser or node; skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (MdnsEnvironment.MachineSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
