namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// Priority formulas of RFC 8445 §5.1.2 and §6.1.2.3.
/// candidate: 2^24·typePref + 2^8·localPref + (256 − component);
/// pair: 2^32·min(G,D) + 2·max(G,D) + (G &gt; D ? 1 : 0), G = the controlling side's candidate.
/// </summary>
internal static class CandidatePriority
{
    public static int TypePreference(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => 126,
        IceCandidateType.PeerReflexive => 110,
        IceCandidateType.ServerReflexive => 100,
        _ => 0,
    };

    public static uint Compute(IceCandidateType type, int localPreference, int component = 1)
    {
        if (localPreference is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(localPreference), "Local preference is 0..65535.");
        }

        return ((uint)TypePreference(type) << 24) | ((uint)localPreference << 8) | (uint)(256 - component);
    }

    /// <summary>
    /// The PRIORITY a check carries: what the peer would give us as a peer-reflexive candidate of
    /// the same base, i.e. type preference 110 and our local preference and component unchanged.
    /// </summary>
    public static uint ForPeerReflexive(uint localCandidatePriority) =>
        ((uint)TypePreference(IceCandidateType.PeerReflexive) << 24) | (localCandidatePriority & 0x00FFFFFF);

    public static ulong ForPair(uint controlling, uint controlled)
    {
        ulong min = Math.Min(controlling, controlled);
        ulong max = Math.Max(controlling, controlled);
        return (min << 32) + (2 * max) + (controlling > controlled ? 1ul : 0ul);
    }
}
