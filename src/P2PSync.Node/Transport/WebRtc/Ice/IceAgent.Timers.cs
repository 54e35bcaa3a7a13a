namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Consent freshness (RFC 7675), overall state and the next wake-up time.</summary>
internal sealed partial class IceAgent
{
    private void RunConsent(long nowMs)
    {
        if (SelectedPair is not { } selected || consentExpired)
        {
            return;
        }

        if (nowMs - lastConsentMs >= options.ConsentExpiryMs)
        {
            consentExpired = true; // RFC 7675 §5.1: stop sending data on the pair at once
            return;
        }

        if (nowMs >= nextConsentMs)
        {
            SendCheck(selected, useCandidate: Role == IceRole.Controlling, isConsent: true, nowMs);
            nextConsentMs = nowMs + NextConsentInterval();
        }
    }

    private long NextConsentInterval() => random.Next(options.ConsentIntervalMinMs, options.ConsentIntervalMaxMs + 1);

    private void CheckForFailure()
    {
        if (SelectedPair is not null || checkList.Pairs.Any(p => p.Valid) || !localGatheringDone || !remoteCandidatesDone)
        {
            return;
        }

        bool anyAlive = checkList.Pairs.Any(p => p.State != CandidatePairState.Failed) || triggered.Count > 0;
        checklistFailed = !anyAlive;
    }

    private void UpdateState()
    {
        IceConnectionState next;
        if (consentExpired || checklistFailed)
        {
            next = IceConnectionState.Failed;
        }
        else if (SelectedPair is not null)
        {
            next = clockMs - lastConsentMs >= options.DisconnectedAfterMs ? IceConnectionState.Disconnected : IceConnectionState.Completed;
        }
        else if (checkList.Pairs.Any(p => p.Valid))
        {
            next = IceConnectionState.Connected;
        }
        else
        {
            next = activity ? IceConnectionState.Checking : IceConnectionState.New;
        }

        if (next != State)
        {
            State = next;
            StateChanged?.Invoke(next);
        }
    }

    private long? ComputeNextTimeout()
    {
        if (consentExpired || checklistFailed)
        {
            return null;
        }

        long? next = null;
        void Consider(long at) => next = next is { } current ? Math.Min(current, at) : at;

        foreach (IceCheckTransaction transaction in outstanding.Values)
        {
            Consider(transaction.Retransmits ? transaction.NextRetransmitMs : transaction.FirstSentMs + options.TransactionTimeoutMs);
        }

        bool checksToSend = remote is not null && (triggered.Count > 0
            || (SelectedPair is null && (checkList.HighestWaiting() is not null || checkList.HighestFrozen() is not null)));
        if (checksToSend)
        {
            Consider(nextPacingMs);
        }

        if (Role == IceRole.Controlling && !nominationStarted && SelectedPair is null && firstValidMs is { } firstValid
            && !options.NominateOnEveryCheck && checkList.BestValid() is not null)
        {
            Consider(firstValid + options.NominationSettleMs);
        }

        if (SelectedPair is not null)
        {
            Consider(nextConsentMs);
            Consider(lastConsentMs + options.ConsentExpiryMs);
            if (State == IceConnectionState.Completed)
            {
                Consider(lastConsentMs + options.DisconnectedAfterMs);
            }
        }

        return next;
    }
}
