using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>A snapshot of one connection, layer by layer (what getStats gives a browser, much shorter).</summary>
internal sealed record PeerConnectionStats
{
    public required PeerConnectionState State { get; init; }

    public required IceConnectionState IceState { get; init; }

    /// <summary>The selected (or, before nomination, used) pair: "local -> remote", or null.</summary>
    public required string? SelectedPair { get; init; }

    public required int LocalCandidates { get; init; }

    public required int RemoteCandidates { get; init; }

    public required DtlsRole? DtlsRole { get; init; }

    /// <summary>The negotiated suite, 0xC02B once connected.</summary>
    public required int DtlsCipherSuite { get; init; }

    public required SctpAssociationState SctpState { get; init; }

    public required int SctpRtoMs { get; init; }

    public required int SctpCongestionWindow { get; init; }

    public required long SctpBufferedAmount { get; init; }

    public required long SctpPacketsDropped { get; init; }

    public required long SctpChunksRetransmitted { get; init; }

    /// <summary>Incoming messages dropped for growing past our a=max-message-size (their channel is closed).</summary>
    public required long SctpOversizedMessagesDropped { get; init; }

    public required int OpenChannels { get; init; }

    public required long MessagesSent { get; init; }

    public required long MessagesReceived { get; init; }

    /// <summary>User bytes (not counting SCTP, DTLS or UDP overhead).</summary>
    public required long BytesSent { get; init; }

    public required long BytesReceived { get; init; }

    /// <summary>Peer messages and OPENs the DCEP layer refused (malformed, unknown PPID, no channel).</summary>
    public required long DcepRefused { get; init; }

    /// <summary>STUN datagrams ICE dropped as malformed, without a valid FINGERPRINT, with a bad MESSAGE-INTEGRITY or wrong USERNAME.</summary>
    public required int IceMalformedStun { get; init; }

    public required int IceMissingFingerprint { get; init; }

    public required int IceBadIntegrity { get; init; }

    public required int IceWrongUsername { get; init; }

    /// <summary>STUN responses that matched none of our transactions.</summary>
    public required int IceUnknownTransaction { get; init; }

    /// <summary>Datagrams that were neither STUN nor DTLS (RFC 7983 demux).</summary>
    public required int IceOtherProtocol { get; init; }

    /// <summary>Application datagrams from a source ICE has not verified.</summary>
    public required int IceUnverifiedApplicationData { get; init; }

    /// <summary>Datagrams dropped because DTLS fell behind reading them.</summary>
    public required int IceDroppedReceives { get; init; }

    public required long DtlsForgedRecordsDropped { get; init; }

    public required long DtlsMalformedDatagramsDropped { get; init; }

    public required long DtlsReplayedRecordsDropped { get; init; }

    /// <summary>The largest message the peer accepts (its a=max-message-size, 65536 when absent).</summary>
    public required int RemoteMaxMessageSize { get; init; }
}
