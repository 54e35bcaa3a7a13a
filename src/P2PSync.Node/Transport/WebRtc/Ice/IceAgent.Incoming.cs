using System.Net;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Checks that arrive: validation, role conflicts, peer-reflexive learning, nomination by the peer (RFC 8445 §7.3).</summary>
internal sealed partial class IceAgent
{
    private void HandleStun(ReadOnlySpan<byte> datagram, IPEndPoint localBase, IPEndPoint source, long nowMs)
    {
        StunMessage message;
        try
        {
            message = StunReader.Read(datagram);
        }
        catch (WebRtcFormatException)
        {
            Counters.MalformedStun++;
            return;
        }

        if (!message.HasFingerprint)
        {
            // ICE requires FINGERPRINT on every check and answer (RFC 8445 §7.2.2); without it the
            // datagram may not even be meant for us.
            Counters.MissingFingerprint++;
            return;
        }

        switch (message.Class)
        {
            case StunClass.Request:
                HandleRequest(datagram, message, localBase, source, nowMs);
                break;
            case StunClass.SuccessResponse:
            case StunClass.ErrorResponse:
                HandleResponse(datagram, message, localBase, source, nowMs);
                break;
            default:
                Counters.IgnoredIndications++;
                break;
        }

        CheckForFailure(clockIsFresh: true);
        UpdateState();
    }

    private void HandleRequest(ReadOnlySpan<byte> datagram, StunMessage request, IPEndPoint localBase, IPEndPoint source, long nowMs)
    {
        if (request.Username is null || request.MessageIntegrityOffset is not { } integrityOffset)
        {
            SendError(request, StunErrorCode.BadRequest, localBase, source, authenticated: false);
            return;
        }

        int colon = request.Username.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || request.Username[..colon] != local.Ufrag)
        {
            Counters.WrongUsername++;
            SendError(request, StunErrorCode.Unauthorized, localBase, source, authenticated: false);
            return;
        }

        if (!StunIntegrity.VerifyIntegrity(datagram, integrityOffset, localKey))
        {
            Counters.BadIntegrity++;
            SendError(request, StunErrorCode.Unauthorized, localBase, source, authenticated: false);
            return;
        }

        if (request.UnknownComprehensionRequired.Count > 0)
        {
            SendError(request, StunErrorCode.UnknownAttribute, localBase, source, authenticated: true, request.UnknownComprehensionRequired);
            return;
        }

        if (request.Priority is not { } priority || (request.IceControlling is null && request.IceControlled is null))
        {
            SendError(request, StunErrorCode.BadRequest, localBase, source, authenticated: true);
            return;
        }

        if (!ResolveRoleConflict(request))
        {
            Counters.RoleConflicts++;
            SendError(request, StunErrorCode.RoleConflict, localBase, source, authenticated: true);
            return;
        }

        var success = new StunMessage
        {
            Method = StunMethod.Binding,
            Class = StunClass.SuccessResponse,
            TransactionId = request.TransactionId,
            XorMappedAddress = source,
        };
        output.Enqueue(new IceOutgoingDatagram(localBase, source, StunWriter.Encode(success, localKey, addFingerprint: true)));
        Counters.RequestsAnswered++;
        activity = true;

        CandidatePair? pair = PairForRequest(localBase, source, priority);
        if (pair is null)
        {
            return;
        }

        pair.ReceivedValidRequest = true;
        bool nominate = request.UseCandidate && Role == IceRole.Controlled;
        if (nominate && pair.Valid)
        {
            Select(pair, nowMs);
            return;
        }

        if (nominate)
        {
            pair.NominateOnSuccess = true;
        }

        if (!pair.Valid)
        {
            Trigger(pair, useCandidate: false);
        }
    }

    /// <summary>
    /// RFC 8445 §7.3.1.1. Returns false when we keep our role and the peer must switch (answer 487).
    /// The larger tie-breaker wins controlling; equal ones favour answering 487 as the RFC says.
    /// </summary>
    private bool ResolveRoleConflict(StunMessage request)
    {
        if (Role == IceRole.Controlling && request.IceControlling is { } theirControlling)
        {
            if (tieBreaker >= theirControlling)
            {
                return false;
            }

            SwitchRole(IceRole.Controlled);
        }
        else if (Role == IceRole.Controlled && request.IceControlled is { } theirControlled)
        {
            if (tieBreaker < theirControlled)
            {
                return false;
            }

            SwitchRole(IceRole.Controlling);
        }

        return true;
    }

    /// <summary>Finds the pair a valid request arrived on, learning a peer-reflexive remote candidate when the source is new (§7.3.1.3).</summary>
    private CandidatePair? PairForRequest(IPEndPoint localBase, IPEndPoint source, uint priority)
    {
        LocalCandidate? localCandidate = localCandidates.Find(c => c.Candidate.Type == IceCandidateType.Host && c.Base.Equals(localBase));
        if (localCandidate is null)
        {
            return null;
        }

        IceCandidate? remoteCandidate = remoteCandidates.Find(c => Equals(c.EndPoint, source));
        if (remoteCandidate is null)
        {
            remoteCandidate = new IceCandidate(
                $"prflx{++prflxFoundations}", 1, "udp", priority, source.Address.ToString(), source.Port, IceCandidateType.PeerReflexive);
            remoteCandidates.Add(remoteCandidate);
            Counters.PeerReflexiveLearned++;
        }

        return checkList.Add(localCandidate, remoteCandidate, source, Role);
    }

    private void SendError(StunMessage request, StunErrorCode error, IPEndPoint localBase, IPEndPoint source, bool authenticated, IReadOnlyList<ushort>? unknown = null)
    {
        var response = new StunMessage
        {
            Method = StunMethod.Binding,
            Class = StunClass.ErrorResponse,
            TransactionId = request.TransactionId,
            ErrorCode = error,
            UnknownAttributes = unknown ?? [],
        };

        // Without a verified key we cannot sign the answer (RFC 8489 §9.1.3); FINGERPRINT always goes on.
        byte[] bytes = StunWriter.Encode(response, authenticated ? localKey : [], addFingerprint: true);
        output.Enqueue(new IceOutgoingDatagram(localBase, source, bytes));
        Counters.ErrorsSent++;
    }
}
