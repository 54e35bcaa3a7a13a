using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Sending checks: the triggered queue, pacing, nomination and retransmission (RFC 8445 §6.1.4, §8).</summary>
internal sealed partial class IceAgent
{
    private void SwitchRole(IceRole role)
    {
        Role = role;
        checkList.Recompute(role);
        nominationStarted = false;
    }

    private void Select(CandidatePair pair, long nowMs)
    {
        pair.Nominated = true;
        pair.State = CandidatePairState.Succeeded;
        if (SelectedPair == pair)
        {
            return;
        }

        SelectedPair = pair;
        lastConsentMs = nowMs;
        nextConsentMs = nowMs + NextConsentInterval();
        SelectedPairChanged?.Invoke(pair);
    }

    private void Trigger(CandidatePair pair, bool useCandidate)
    {
        int existing = triggered.FindIndex(t => t.Pair == pair);
        if (existing >= 0)
        {
            triggered[existing] = triggered[existing] with { UseCandidate = triggered[existing].UseCandidate || useCandidate };
            return;
        }

        if (pair.State == CandidatePairState.InProgress)
        {
            // §7.3.1.4: stop retransmitting the check in flight; its answer is still welcome.
            foreach (IceCheckTransaction inFlight in outstanding.Values.Where(t => t.Pair == pair))
            {
                inFlight.Retransmits = false;
            }
        }

        if (pair.State != CandidatePairState.Succeeded)
        {
            pair.State = CandidatePairState.Waiting;
        }

        triggered.Add(new TriggeredCheck(pair, useCandidate));
    }

    private void StartNominationIfDue(long nowMs)
    {
        if (Role != IceRole.Controlling || options.NominateOnEveryCheck || nominationStarted || SelectedPair is not null || firstValidMs is not { } firstValid)
        {
            return;
        }

        bool settled = nowMs >= firstValid + options.NominationSettleMs
            || (checkList.HighestWaiting() is null && checkList.HighestFrozen() is null);
        if (settled && checkList.BestValid() is { } best)
        {
            nominationStarted = true;
            Trigger(best, useCandidate: true);
        }
    }

    /// <summary>Sends the head of the triggered queue, else the best Waiting pair, else unfreezes one (§6.1.4.2).</summary>
    private bool SendNextCheck(long nowMs)
    {
        if (remote is null)
        {
            return false;
        }

        while (triggered.Count > 0)
        {
            TriggeredCheck next = triggered[0];
            triggered.RemoveAt(0);
            if (next.Pair.State == CandidatePairState.Succeeded && !next.UseCandidate)
            {
                continue;
            }

            SendCheck(next.Pair, next.UseCandidate, isConsent: false, nowMs);
            return true;
        }

        if (SelectedPair is not null)
        {
            return false; // once selected, ordinary checks stop; consent keeps the path alive
        }

        CandidatePair? pair = checkList.HighestWaiting();
        if (pair is null && checkList.HighestFrozen() is { } frozen)
        {
            pair = frozen;
        }

        if (pair is null)
        {
            return false;
        }

        SendCheck(pair, options.NominateOnEveryCheck && Role == IceRole.Controlling, isConsent: false, nowMs);
        return true;
    }

    private void SendCheck(CandidatePair pair, bool useCandidate, bool isConsent, long nowMs)
    {
        var request = new StunMessage
        {
            Method = StunMethod.Binding,
            Class = StunClass.Request,
            TransactionId = TransactionId.Create(random),
            Username = remote!.Ufrag + ":" + local.Ufrag,
            IceControlling = Role == IceRole.Controlling ? tieBreaker : null,
            IceControlled = Role == IceRole.Controlled ? tieBreaker : null,
            UseCandidate = useCandidate && Role == IceRole.Controlling,
            Priority = CandidatePriority.ForPeerReflexive(pair.Local.Candidate.Priority),
        };
        byte[] bytes = StunWriter.Encode(request, remoteKey, addFingerprint: true);
        long rto = Math.Max(options.MinRtoMs, (long)options.PacingMs * checkList.CountActive());
        outstanding[request.TransactionId] = new IceCheckTransaction
        {
            Id = request.TransactionId,
            Pair = pair,
            Bytes = bytes,
            RoleSent = Role,
            UseCandidate = request.UseCandidate,
            IsConsent = isConsent,
            FirstSentMs = nowMs,
            RtoMs = rto,
            NextRetransmitMs = nowMs + rto,
            Retransmits = true,
        };
        if (!isConsent && pair.State != CandidatePairState.Succeeded)
        {
            pair.State = CandidatePairState.InProgress;
        }

        output.Enqueue(new IceOutgoingDatagram(pair.Local.Base, pair.RemoteEndPoint, bytes));
        Counters.ChecksSent++;
        activity = true;
    }

    private void RunRetransmissions(long nowMs)
    {
        foreach (IceCheckTransaction transaction in outstanding.Values.ToList())
        {
            bool expired = nowMs - transaction.FirstSentMs >= options.TransactionTimeoutMs;
            if (!transaction.Retransmits)
            {
                if (expired)
                {
                    outstanding.Remove(transaction.Id);
                }

                continue;
            }

            if (nowMs < transaction.NextRetransmitMs)
            {
                continue;
            }

            if (transaction.Sends >= options.MaxSends || expired)
            {
                outstanding.Remove(transaction.Id);
                FailPair(transaction.Pair, transaction);
                continue;
            }

            transaction.Sends++;
            transaction.RtoMs = Math.Min(transaction.RtoMs * 2, Math.Max(options.MaxRtoMs, options.MinRtoMs));
            transaction.NextRetransmitMs = nowMs + transaction.RtoMs;
            output.Enqueue(new IceOutgoingDatagram(transaction.Pair.Local.Base, transaction.Pair.RemoteEndPoint, transaction.Bytes));
            Counters.Retransmissions++;
        }
    }
}
