using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Consecutive TSNs received so far of one fragmented message (RFC 9260 §6.9: a message's fragments
/// sit on consecutive TSNs from B to E). Runs are merged as the gaps between them fill, so the
/// receiver always knows how many bytes of a message it holds without walking its fragments, and can
/// give up on a message the moment it outgrows our max-message-size. A discarded run keeps
/// tracking its TSN range (so later fragments of the message are recognised and dropped) but holds no bytes.
/// </summary>
internal sealed class FragmentRun
{
    public FragmentRun(uint tsn, DataChunk chunk)
    {
        Head = tsn;
        Tail = tsn;
        HasBegin = chunk.IsBegin;
        HasEnd = chunk.IsEnd;
        StreamId = chunk.StreamId;
        Ssn = chunk.Ssn;
        Ppid = chunk.Ppid;
        Unordered = chunk.IsUnordered;
    }

    public uint Head { get; set; }

    public uint Tail { get; set; }

    /// <summary>The fragment at <see cref="Head"/> carries the B flag.</summary>
    public bool HasBegin { get; set; }

    /// <summary>The fragment at <see cref="Tail"/> carries the E flag.</summary>
    public bool HasEnd { get; set; }

    /// <summary>Payload bytes of the run's fragments (stored ones; a discarded run counts what it has seen).</summary>
    public long Bytes { get; set; }

    public bool Discarded { get; set; }

    public ushort StreamId { get; }

    public ushort Ssn { get; }

    public uint Ppid { get; }

    public bool Unordered { get; }

    public bool IsWhole => HasBegin && HasEnd;

    /// <summary>Whether <paramref name="chunk"/> can belong to the same message: same stream and ordering, and for ordered messages the same SSN.</summary>
    public bool SameMessage(DataChunk chunk) =>
        chunk.StreamId == StreamId && chunk.IsUnordered == Unordered && (Unordered || chunk.Ssn == Ssn);
}
