using System.Net;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Answers to our own checks (RFC 8445 §7.2.5).</summary>
internal sealed partial class IceAgent
{
    private void HandleResponse(ReadOnlySpan<byte> datagram, StunMessage response, IPEndPoint localBase, IPEndPoint source, long nowMs)
    {
        if (!outstanding.TryGetValue(response.TransactionId, out IceCheckTransaction? transaction))
        {
            Counters.UnknownTransaction++;
            return;
        }

        // Answers to our checks are keyed with the peer's password; a forged one is dropped and the
        // transaction stays open so the genuine answer can still arrive.
        if (response.MessageIntegrityOffset is not { } integrityOffset || !StunIntegrity.VerifyIntegrity(datagram, integrityOffset, remoteKey))
        {
            Counters.BadIntegrity++;
            return;
        }

        outstanding.Remove(response.TransactionId);
        CandidatePair pair = transaction.Pair;
        if (!pair.Matches(localBase, source))
        {
            Counters.AsymmetricResponses++;
            FailPair(pair, transaction);
            return;
        }

        if (response.Class == StunClass.ErrorResponse)
        {
            HandleErrorResponse(response, transaction);
            return;
        }

        if (pair == SelectedPair)
        {
            lastConsentMs = nowMs;
        }

        if (transaction.IsConsent)
        {
            return;
        }

        if (response.ReflexiveAddress is { } mapped && !localCandidates.Any(c => Equals(c.Candidate.EndPoint, mapped)))
        {
            // Our check went through a NAT: remember the address as a local peer-reflexive
            // candidate (RFC 8445 §7.2.5.3.1). We keep sending from the base, so the checked pair
            // itself is the one that becomes valid.
            var learned = new IceCandidate(
                CandidateFoundation.Compute(IceCandidateType.PeerReflexive, pair.Local.Base.Address.ToString(), null, "udp"),
                1, "udp", CandidatePriority.ForPeerReflexive(pair.Local.Candidate.Priority), mapped.Address.ToString(), mapped.Port,
                IceCandidateType.PeerReflexive);
            localCandidates.Add(new LocalCandidate(learned, pair.Local.Base));
        }

        pair.State = CandidatePairState.Succeeded;
        firstValidMs ??= nowMs;
        checkList.UnfreezeFoundation(pair.Foundation);
        if (Role == IceRole.Controlling && transaction.UseCandidate)
        {
            if (SelectedPair is null || pair.Priority > SelectedPair.Priority || !options.NominateOnEveryCheck)
            {
                Select(pair, nowMs);
            }
        }
        else if (Role == IceRole.Controlled && pair.NominateOnSuccess)
        {
            Select(pair, nowMs);
        }
    }

    private void HandleErrorResponse(StunMessage response, IceCheckTransaction transaction)
    {
        if (response.ErrorCode?.Code == StunErrorCode.RoleConflictCode)
        {
            // §7.2.5.1: take the role opposite to the one the request claimed, then retry the pair.
            IceRole wanted = transaction.RoleSent == IceRole.Controlling ? IceRole.Controlled : IceRole.Controlling;
            if (Role != wanted)
            {
                SwitchRole(wanted);
            }

            Counters.RoleConflicts++;
            Trigger(transaction.Pair, useCandidate: transaction.UseCandidate && Role == IceRole.Controlling);
            return;
        }

        FailPair(transaction.Pair, transaction);
    }

    private void FailPair(CandidatePair pair, IceCheckTransaction transaction)
    {
        if (transaction.IsConsent)
        {
            return;
        }

        // A regular nomination that got no answer in 7 sends means the pair died: fail it and let
        // the next best valid pair be nominated. Any other extra check timing out (a triggered
        // check racing an earlier success, say) does not undo a success.
        bool regularNomination = transaction.UseCandidate && !options.NominateOnEveryCheck;
        if (pair.State == CandidatePairState.Succeeded && !regularNomination)
        {
            return;
        }

        pair.State = CandidatePairState.Failed;
        if (regularNomination && nominationStarted && SelectedPair is null)
        {
            nominationStarted = false;
        }
    }
}
