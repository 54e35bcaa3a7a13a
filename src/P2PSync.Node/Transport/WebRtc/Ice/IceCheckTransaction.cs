using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>One Binding request of ours that awaits an answer, with its retransmission schedule.</summary>
internal sealed class IceCheckTransaction
{
    public required TransactionId Id { get; init; }

    public required CandidatePair Pair { get; init; }

    public required byte[] Bytes { get; init; }

    /// <summary>The role we claimed in the request; a 487 answer tells us to take the other one.</summary>
    public required IceRole RoleSent { get; init; }

    public required bool UseCandidate { get; init; }

    /// <summary>A consent check (RFC 7675): retransmitted like any check, but running out never fails the pair; only the 30 s expiry does.</summary>
    public required bool IsConsent { get; init; }

    public required long FirstSentMs { get; init; }

    public int Sends { get; set; } = 1;

    public long RtoMs { get; set; }

    public long NextRetransmitMs { get; set; }

    /// <summary>False once a triggered check replaced it (§7.3.1.4): its answer still counts, its timer does not.</summary>
    public bool Retransmits { get; set; } = true;
}
