namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// Anti-replay for one epoch (RFC 6347 §4.1.2.6): the highest sequence number seen and a 64-bit map
/// of the 64 numbers below it. Used for the application data that bypasses BouncyCastle
/// (<see cref="ApplicationDataBypass"/>), whose own window never sees those records. Only records
/// that have already passed authentication may be offered, so a forged sequence number can never
/// move the window and lock out the real traffic.
/// </summary>
internal sealed class DtlsReplayWindow
{
    private const int Width = 64;

    private long _highest = -1;

    // Bit i set: sequence number (_highest - i) has been accepted.
    private ulong _seen;

    /// <summary>Accepts <paramref name="sequence"/> once: false if it was seen before or lies below the window.</summary>
    public bool TryAccept(long sequence)
    {
        if (sequence < 0)
        {
            return false;
        }

        if (sequence > _highest)
        {
            var shift = sequence - _highest;
            _seen = shift >= Width ? 1UL : (_seen << (int)shift) | 1UL;
            _highest = sequence;
            return true;
        }

        var back = _highest - sequence;
        if (back >= Width)
        {
            return false;
        }

        var bit = 1UL << (int)back;
        if ((_seen & bit) != 0)
        {
            return false;
        }

        _seen |= bit;
        return true;
    }
}
