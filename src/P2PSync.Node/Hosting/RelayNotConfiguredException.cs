namespace P2PSync.Node.Hosting;

/// <summary>A feature needs the relay (y-webrtc rooms signal through its /signal) and this node has none.</summary>
internal sealed class RelayNotConfiguredException : InvalidOperationException
{
    public RelayNotConfiguredException(string feature)
        : base($"{feature} needs a relay, and this node has none: start it with `p2psync up --relay URL`, or store one with `p2psync relay add URL` and restart")
    {
    }
}
