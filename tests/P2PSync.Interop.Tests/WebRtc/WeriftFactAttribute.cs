namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A fact that runs werift peers in network namespaces; skipped with the reason when this machine cannot.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WeriftFactAttribute : FactAttribute
{
    public WeriftFactAttribute()
    {
        if (WebRtcEnvironment.WeriftSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
