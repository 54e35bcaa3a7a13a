namespace P2PSync.Interop.Tests.Mdns;

/// <summary>A fact that needs network namespaces and avahi (daemon, utils, dbus); skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AvahiFactAttribute : FactAttribute
{
    public AvahiFactAttribute()
    {
        if (MdnsEnvironment.AvahiSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
