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

    /// <summary>
    /// Fails the check list once nothing is left to try and nothing new has turned up for
    /// <see cref="IceAgentOptions.FailureGraceMs"/>. Not at once: a peer that hides its addresses
    /// behind mDNS names sends "end of candidates" with no candidate we can use, and we learn its
    /// address only from its first check (a peer-reflexive pair), which arrives after it has our answer.
    /// </summary>
    /// <param name="clockIsFresh">
    /// False when called from a method that is given no time (end of candidates, gathering done):
    /// the agent's clock may then be long stale, so the grace starts at the next call that has one
    /// (<see cref="ComputeNextTimeout"/> asks for it at once).
    /// </param>
    private void CheckForFailure(bool clockIsFresh)
    {
        bool nothingLeft = SelectedPair is null && !checkList.Pairs.Any(p => p.Valid) && localGatheringDone && remoteCandidatesDone
            && !checkList.Pairs.Any(p => p.State != CandidatePairState.Failed) && triggered.Count == 0;
        if (!nothingLeft)
        {
            nothingLeftSinceMs = null;
            failureGraceDue = false;
            return;
        }

        if (!clockIsFresh)
        {
            failureGraceDue = nothingLeftSinceMs is null;
            return;
        }

        failureGraceDue = false;
        nothingLeftSinceMs ??= clockMs;
        checklistFailed = clockMs - nothingLeftSinceMs.Value >= options.FailureGraceMs;
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

        if (nothingLeftSinceMs is { } since)
        {
            Consider(since + options.FailureGraceMs);
        }
        else if (failureGraceDue)
        {
            Consider(clockMs);
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
