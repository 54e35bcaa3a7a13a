namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Retransmission timeout from RTT samples (RFC 9260 §6.3.1): SRTT/RTTVAR with α = 1/8, β = 1/4,
/// RTO = SRTT + 4·RTTVAR clamped to [min, max], doubled on each T3 expiry. RTTVAR has a floor
/// (dcsctp's) so one lucky sample on a quiet link cannot make the next small delay look like a loss.
/// </summary>
internal sealed class RtoEstimator
{
    private readonly SctpOptions _options;
    private bool _measured;

    public RtoEstimator(SctpOptions options)
    {
        _options = options;
        RtoMs = options.RtoInitialMs;
    }

    public double SrttMs { get; private set; }

    public double RttVarMs { get; private set; }

    public int RtoMs { get; private set; }

    public void AddSample(long rttMs)
    {
        var r = Math.Max(0, rttMs);
        if (!_measured)
        {
            SrttMs = r;
            RttVarMs = r / 2.0;
            _measured = true;
        }
        else
        {
            RttVarMs = (0.75 * RttVarMs) + (0.25 * Math.Abs(SrttMs - r));
            SrttMs = (0.875 * SrttMs) + (0.125 * r);
        }

        var rto = SrttMs + (4 * Math.Max(RttVarMs, _options.RttVarFloorMs));
        RtoMs = (int)Math.Clamp(rto, _options.RtoMinMs, _options.RtoMaxMs);
    }

    /// <summary>T3 expired: back off exponentially (RFC 9260 §6.3.3 E2).</summary>
    public void Backoff() => RtoMs = Math.Min(_options.RtoMaxMs, RtoMs * 2);
}
