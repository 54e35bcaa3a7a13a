namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>The agent that nominates (controlling, normally the offerer) and the one that follows.</summary>
internal enum IceRole
{
    Controlling,
    Controlled,
}
