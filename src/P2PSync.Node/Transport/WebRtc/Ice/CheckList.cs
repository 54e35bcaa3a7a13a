using System.Net;
using System.Net.Sockets;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// The pairs of one data stream, kept in priority order (RFC 8445 §6.1.2). Pairs only host-based
/// local candidates: a server-reflexive candidate's base is a host socket, so its pairs would be
/// duplicates of the host ones and the RFC prunes them anyway. Capped at 100 pairs.
/// </summary>
internal sealed class CheckList
{
    public const int MaxPairs = 100;

    private readonly List<CandidatePair> pairs = [];

    public IReadOnlyList<CandidatePair> Pairs => pairs;

    /// <summary>Adds the pair unless it exists, the families differ, or the list is full; returns the pair or null.</summary>
    public CandidatePair? Add(LocalCandidate local, IceCandidate remote, IPEndPoint remoteEndPoint, IceRole role)
    {
        if (local.Base.AddressFamily != remoteEndPoint.AddressFamily || local.Base.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return null;
        }

        if (Find(local.Base, remoteEndPoint) is { } existing)
        {
            return existing;
        }

        if (pairs.Count >= MaxPairs)
        {
            return null;
        }

        var pair = new CandidatePair(local, remote, remoteEndPoint);
        pair.UpdatePriority(role);

        // The first pair of a foundation starts Waiting, later ones Frozen until it succeeds (§6.1.2.6).
        string foundation = pair.Foundation;
        pair.State = pairs.Any(p => p.Foundation == foundation) ? CandidatePairState.Frozen : CandidatePairState.Waiting;
        pairs.Add(pair);
        Sort();
        return pair;
    }

    public CandidatePair? Find(IPEndPoint localBase, IPEndPoint remote) => pairs.Find(p => p.Matches(localBase, remote));

    public void Recompute(IceRole role)
    {
        foreach (CandidatePair pair in pairs)
        {
            pair.UpdatePriority(role);
        }

        Sort();
    }

    /// <summary>After a success, the frozen pairs that share its foundation may run (§7.2.5.3.3).</summary>
    public void UnfreezeFoundation(string foundation)
    {
        foreach (CandidatePair pair in pairs.Where(p => p.State == CandidatePairState.Frozen && p.Foundation == foundation))
        {
            pair.State = CandidatePairState.Waiting;
        }
    }

    public CandidatePair? HighestWaiting() => pairs.Find(p => p.State == CandidatePairState.Waiting);

    public CandidatePair? HighestFrozen() => pairs.Find(p => p.State == CandidatePairState.Frozen);

    public CandidatePair? BestValid() => pairs.Find(p => p.Valid);

    public int CountActive() => pairs.Count(p => p.State is CandidatePairState.Waiting or CandidatePairState.InProgress);

    private void Sort() => pairs.Sort((a, b) => b.Priority.CompareTo(a.Priority));
}
