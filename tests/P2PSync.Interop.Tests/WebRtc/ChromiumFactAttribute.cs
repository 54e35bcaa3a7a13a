namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A fact that runs headless Chromium (and werift) in network namespaces; skipped with the reason when this machine cannot.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (WebRtcEnvironment.ChromiumSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
