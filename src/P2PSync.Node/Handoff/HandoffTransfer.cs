using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Handoff;

/// <summary>
/// The engine's mutable record of one handoff: what <see cref="HandoffInfo"/> shows, plus the
/// receiving side's progress through the documents of a HandoffBegin.
/// </summary>
internal sealed class HandoffTransfer
{
    public HandoffTransfer(string id, HandoffDirection direction, HandoffKind kind, DeviceId peer, HandoffState state, long nowMs)
    {
        Id = id;
        Direction = direction;
        Kind = kind;
        Peer = peer;
        State = state;
        CreatedMs = nowMs;
        UpdatedMs = nowMs;
    }

    public string Id { get; }

    public HandoffDirection Direction { get; }

    public HandoffKind Kind { get; }

    public DeviceId Peer { get; }

    public HandoffState State { get; set; }

    public long BytesDone { get; set; }

    public long BytesTotal { get; set; }

    public string? Reason { get; set; }

    public long CreatedMs { get; }

    public long UpdatedMs { get; set; }

    /// <summary>When the engine gives up waiting (offer expiry, unanswered request, stalled transfer); null = no deadline.</summary>
    public long? DeadlineMs { get; set; }

    /// <summary>In, offer: the documents the peer offered (we send their state vectors when accepting).</summary>
    public IReadOnlyList<string> OfferedDocuments { get; set; } = [];

    /// <summary>In, transferring: the activity from the HandoffBegin, resumed once every document is applied.</summary>
    public Activity? Resumed { get; set; }

    /// <summary>Outgoing: the version of our activity that was sent; only that version is marked handed off.</summary>
    public long? SentVersion { get; set; }

    /// <summary>In, transferring: the documents announced by the HandoffBegin, in the order their chunks come.</summary>
    public IReadOnlyList<HandoffDocument> Incoming { get; set; } = [];

    /// <summary>In, transferring: how many documents are complete and applied (the index of the one arriving now).</summary>
    public int DocumentsDone { get; set; }

    /// <summary>In, transferring: the chunks of the current document so far.</summary>
    public MemoryStream? Buffer { get; set; }

    public bool IsFinished => State is HandoffState.Ready or HandoffState.HandedOff or HandoffState.Declined or HandoffState.Expired or HandoffState.Failed;

    public HandoffInfo ToInfo() => new(Id, Direction, Kind, Peer, State, BytesDone, BytesTotal, Reason, CreatedMs, UpdatedMs);
}
