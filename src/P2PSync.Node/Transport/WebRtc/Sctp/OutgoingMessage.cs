namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// A user message on its way out: fragments are cut from it lazily as cwnd allows, and the SSN is
/// assigned with the first fragment, so a message abandoned before it ever left uses no SSN
/// (the receiver would otherwise wait for it forever).
/// </summary>
internal sealed class OutgoingMessage
{
    public OutgoingMessage(ushort streamId, uint ppid, ReadOnlyMemory<byte> payload, bool ordered, SctpReliability reliability, long queuedMs)
    {
        StreamId = streamId;
        Ppid = ppid;
        Payload = payload;
        Ordered = ordered;
        Reliability = reliability;
        QueuedMs = queuedMs;
    }

    public ushort StreamId { get; }

    public uint Ppid { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public bool Ordered { get; }

    public SctpReliability Reliability { get; }

    public long QueuedMs { get; }

    /// <summary>Bytes already cut into DATA chunks.</summary>
    public int Offset { get; set; }

    public ushort Ssn { get; set; }

    public bool Abandoned { get; set; }

    /// <summary>Fragments that have a TSN, so an abandoned message can drop all of them at once.</summary>
    public List<OutstandingChunk> Chunks { get; } = [];

    public bool IsExpired(long nowMs) =>
        Reliability.Kind == SctpReliabilityKind.MaxLifetimeMs && nowMs - QueuedMs > Reliability.Value;
}
