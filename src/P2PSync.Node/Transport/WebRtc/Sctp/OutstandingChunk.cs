using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>A DATA chunk that has a TSN and is not yet covered by the peer's cumulative ack.</summary>
internal sealed class OutstandingChunk
{
    public OutstandingChunk(DataChunk chunk, OutgoingMessage message)
    {
        Chunk = chunk;
        Message = message;
    }

    public DataChunk Chunk { get; }

    public OutgoingMessage Message { get; }

    public uint Tsn => Chunk.Tsn;

    public int PayloadBytes => Chunk.Payload.Length;

    public long SentMs { get; set; }

    public int Transmissions { get; set; }

    /// <summary>Counted in the flight size right now.</summary>
    public bool InFlight { get; set; }

    /// <summary>Reported in a gap block (we never expect the peer to renege: neither we nor dcsctp do).</summary>
    public bool Acked { get; set; }

    public bool Abandoned { get; set; }

    public bool NeedsRetransmit { get; set; }

    public int MissIndications { get; set; }

    /// <summary>Fast retransmit happens at most once per chunk (RFC 9260 §7.2.4).</summary>
    public bool FastRetransmitted { get; set; }
}
