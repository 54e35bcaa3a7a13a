using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Handoff;

/// <summary>Something happened to a handoff (for the event stream of the local API and the CLI).</summary>
/// <param name="Kind">One of the constants below.</param>
internal sealed record HandoffEvent(string Kind, string HandoffId, DeviceId Peer, long BytesDone, long BytesTotal, string? Reason)
{
    /// <summary>A peer offered us its activity.</summary>
    public const string Offered = "offered";

    /// <summary>A request was sent (pull, accepted offer) or received.</summary>
    public const string Requested = "requested";

    /// <summary>Either side declined.</summary>
    public const string Declined = "declined";

    /// <summary>An offer was not answered in time.</summary>
    public const string Expired = "expired";

    /// <summary>The transfer started (BytesTotal known).</summary>
    public const string Transferring = "transferring";

    /// <summary>More bytes arrived.</summary>
    public const string Progress = "progress";

    /// <summary>We applied everything and resumed the activity.</summary>
    public const string Ready = "ready";

    /// <summary>The peer resumed our activity.</summary>
    public const string HandedOff = "handed-off";

    /// <summary>The handoff failed (Reason says why).</summary>
    public const string Failed = "failed";
}
