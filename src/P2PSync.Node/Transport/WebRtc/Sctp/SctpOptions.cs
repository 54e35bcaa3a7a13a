namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Tunables of one association. Defaults follow docs/dev/webrtc-notes.md §3.9 and the dcsctp
/// values Chromium uses (RTO 500/400/60000 ms): the RFC's 1 s minimum RTO makes every loss cost a second.
/// </summary>
internal sealed record SctpOptions
{
    public ushort LocalPort { get; init; } = 5000;

    public ushort RemotePort { get; init; } = 5000;

    /// <summary>Largest SCTP packet we build (fits a DTLS record in a 1232-byte UDP payload).</summary>
    public int Mtu { get; init; } = 1188;

    /// <summary>Our receive buffer, announced as a_rwnd.</summary>
    public int ReceiveWindow { get; init; } = 4 * 1024 * 1024;

    public ushort Streams { get; init; } = 65535;

    public int RtoInitialMs { get; init; } = 500;

    public int RtoMinMs { get; init; } = 400;

    public int RtoMaxMs { get; init; } = 60_000;

    /// <summary>
    /// Floor on RTTVAR, so one lucky sample on a quiet link cannot make the next small delay look
    /// like a loss. dcsctp configures 220 ms but divides it by 8 before use (its RTO code once
    /// worked on values scaled by 8, and the measured behaviour was kept), so its real floor is
    /// 27.5 ms: 4 x RTTVAR adds at least 110 ms and RTO.Min (400 ms) decides on a LAN. Taking 220 ms
    /// at face value put our LAN RTO near 900 ms, and every tail loss waited that long (seen by the
    /// interop tests against werift and under netem).
    /// </summary>
    public int RttVarFloorMs { get; init; } = 27;

    public int MaxInitRetransmits { get; init; } = 8;

    public int MaxRetransmissions { get; init; } = 10;

    public int DelayedAckMs { get; init; } = 200;

    public int HeartbeatIntervalMs { get; init; } = 30_000;

    public int CookieLifetimeMs { get; init; } = 60_000;

    /// <summary>The peer's a=max-message-size; 0 means unlimited (RFC 8841). Set from the remote SDP.</summary>
    public int RemoteMaxMessageSize { get; init; } = 65536;

    /// <summary>
    /// Our own a=max-message-size: an incoming message that grows past it is dropped (its fragments
    /// freed as soon as it is known to be too big, its TSNs still acknowledged) and its stream is
    /// reset, closing that data channel only. 0 means no limit of our own (the receive window still
    /// bounds memory). PeerConnection sets it to what it announces.
    /// </summary>
    public int LocalMaxMessageSize { get; init; }

    /// <summary>
    /// Max.Burst (RFC 9260 §6.1): packets of new DATA one transmission opportunity (a SACK, a user
    /// send, a timer) may put on the wire, however much cwnd allows; keeps a window opened by one
    /// big SACK from leaving at line rate and overflowing a queue on the path. 0 turns the limit off.
    /// </summary>
    public int MaxBurst { get; init; } = 4;

    /// <summary>Bytes queued but not yet acknowledged beyond which Send refuses (dcsctp: 2,000,000).</summary>
    public int SendBufferLimit { get; init; } = 2_000_000;

    public int InitialCwndPackets { get; init; } = 10;

    /// <summary>Most gap blocks in one SACK; more only repeat what the next SACK will say.</summary>
    public int MaxGapBlocks { get; init; } = 16;

    /// <summary>User bytes in one DATA chunk: the MTU less the common header and the DATA header.</summary>
    public int MaxDataPayload => Mtu - SctpPacket.HeaderBytes - Chunks.DataChunk.HeaderBytes;
}
