namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// cwnd / ssthresh / partial_bytes_acked of RFC 9260 §7.2 for our single path. Kept apart from the
/// association so its arithmetic can be tested alone with exact numbers.
/// </summary>
internal sealed class CongestionControl
{
    private readonly int _mtu;

    public CongestionControl(int mtu, int initialPackets, uint peerReceiveWindow)
    {
        _mtu = mtu;
        Cwnd = initialPackets * mtu;
        Ssthresh = (int)Math.Min(int.MaxValue, peerReceiveWindow);
    }

    public int Cwnd { get; private set; }

    public int Ssthresh { get; private set; }

    public int PartialBytesAcked { get; private set; }

    public bool InFastRecovery { get; private set; }

    public uint FastRecoveryExit { get; private set; }

    private int Floor => 4 * _mtu;

    /// <summary>A SACK advanced the cumulative ack by <paramref name="newlyAcked"/> bytes while <paramref name="flightBefore"/> bytes were in flight.</summary>
    public void OnCumulativeAckAdvanced(int newlyAcked, int flightBefore, uint cumulativeTsn)
    {
        if (InFastRecovery && SerialNumber.Ge(cumulativeTsn, FastRecoveryExit))
        {
            InFastRecovery = false;
        }

        if (InFastRecovery || newlyAcked <= 0)
        {
            return;
        }

        // "cwnd fully used": a window we were not filling says nothing about the path, so do not grow it.
        var fullyUsed = flightBefore + _mtu >= Cwnd;
        if (Cwnd <= Ssthresh)
        {
            if (fullyUsed)
            {
                Cwnd += Math.Min(newlyAcked, _mtu);
            }

            return;
        }

        PartialBytesAcked += newlyAcked;
        if (PartialBytesAcked >= Cwnd && fullyUsed)
        {
            PartialBytesAcked -= Cwnd;
            Cwnd += _mtu;
        }
    }

    /// <summary>Three miss indications: halve once per recovery episode (RFC 9260 §7.2.4).</summary>
    public bool EnterFastRecovery(uint highestOutstandingTsn)
    {
        if (InFastRecovery)
        {
            return false;
        }

        Ssthresh = Math.Max(Cwnd / 2, Floor);
        Cwnd = Ssthresh;
        PartialBytesAcked = 0;
        InFastRecovery = true;
        FastRecoveryExit = highestOutstandingTsn;
        return true;
    }

    /// <summary>T3-rtx expired: the path is in doubt, start again from one packet (RFC 9260 §7.2.3).</summary>
    public void OnRetransmissionTimeout()
    {
        Ssthresh = Math.Max(Cwnd / 2, Floor);
        Cwnd = _mtu;
        PartialBytesAcked = 0;
        InFastRecovery = false;
    }

    /// <summary>Idle longer than an RTO: the old window is stale (RFC 9260 §7.2.1).</summary>
    public void OnIdle() => Cwnd = Math.Max(Cwnd / 2, Floor);
}
