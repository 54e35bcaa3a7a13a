using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>What one completed offer/answer exchange settled, from our side: everything ICE, DTLS and SCTP need.</summary>
internal sealed record NegotiatedSession
{
    public required DtlsRole LocalDtlsRole { get; init; }

    /// <summary>The data section's mid (null when the offer had none); trickled candidates carry it as sdpMid.</summary>
    public required string? Mid { get; init; }

    /// <summary>The data section's index among the m= lines (trickle's sdpMLineIndex).</summary>
    public required int MLineIndex { get; init; }

    public required string RemoteIceUfrag { get; init; }

    public required string RemoteIcePwd { get; init; }

    public required bool RemoteIceLite { get; init; }

    public required bool RemoteSupportsTrickle { get; init; }

    /// <summary>
    /// The peer's fingerprints that we can verify (never empty: OfferAnswer refuses a description
    /// without one); the certificate it presents must match one of them. Ones with hashes we cannot
    /// compute are left out, since they could never match.
    /// </summary>
    public required IReadOnlyList<DtlsFingerprint> RemoteFingerprints { get; init; }

    public required IReadOnlyList<IceCandidate> RemoteCandidates { get; init; }

    public required bool RemoteEndOfCandidates { get; init; }

    public required int LocalSctpPort { get; init; }

    public required int RemoteSctpPort { get; init; }

    /// <summary>The largest message we may send: the peer's a=max-message-size, 65536 if it gave none, null if it said 0 (no limit).</summary>
    public required ulong? MaxSendMessageSize { get; init; }

    /// <summary>The largest message we said we accept.</summary>
    public required ulong MaxReceiveMessageSize { get; init; }
}
