using System.Net;
using System.Text;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// Full ICE (RFC 8445) for one data stream and one component, sans-IO: datagrams come in through
/// <see cref="HandleDatagram"/> with the socket they arrived on, time through
/// <see cref="HandleTimeout"/>, and what to send leaves through <see cref="TryDequeueOutput"/>.
/// Both roles, tie-breaker and 487 role conflicts, peer-reflexive learning, regular nomination
/// (and USE-CANDIDATE on every check when asked, which is what Chromium does), consent freshness
/// (RFC 7675) and trickle. Bad input is counted in <see cref="Counters"/> and dropped; nothing
/// that arrives from the network makes a method throw.
/// </summary>
internal sealed partial class IceAgent
{
    private readonly IceAgentOptions options;
    private readonly IceCredentials local;
    private readonly ulong tieBreaker;
    private readonly Random random;
    private readonly byte[] localKey;
    private readonly CheckList checkList = new();
    private readonly List<LocalCandidate> localCandidates = [];
    private readonly List<IceCandidate> remoteCandidates = [];
    private readonly List<TriggeredCheck> triggered = [];
    private readonly Dictionary<TransactionId, IceCheckTransaction> outstanding = [];
    private readonly Queue<IceOutgoingDatagram> output = new();
    private IceCredentials? remote;
    private byte[] remoteKey = [];
    private long nextPacingMs;
    private long? firstValidMs;
    private bool nominationStarted;
    private bool localGatheringDone;
    private bool remoteCandidatesDone;
    private bool activity;
    private long lastConsentMs;
    private long nextConsentMs;
    private bool consentExpired;
    private bool checklistFailed;
    private long? nothingLeftSinceMs;
    private bool failureGraceDue;
    private int prflxFoundations;
    private long clockMs;

    public IceAgent(IceAgentOptions options, IceCredentials local, IceRole role, ulong tieBreaker, Random random)
    {
        this.options = options;
        this.local = local;
        this.tieBreaker = tieBreaker;
        this.random = random;
        Role = role;
        localKey = Encoding.UTF8.GetBytes(local.Password);
    }

    /// <summary>Raised synchronously from the call that changed the state.</summary>
    public event Action<IceConnectionState>? StateChanged;

    /// <summary>Raised when a (new) nominated pair is selected.</summary>
    public event Action<CandidatePair>? SelectedPairChanged;

    public IceRole Role { get; private set; }

    public IceConnectionState State { get; private set; } = IceConnectionState.New;

    public IceCredentials LocalCredentials => local;

    public CandidatePair? SelectedPair { get; private set; }

    public IReadOnlyList<CandidatePair> Pairs => checkList.Pairs;

    public IReadOnlyList<LocalCandidate> LocalCandidates => localCandidates;

    public IReadOnlyList<IceCandidate> RemoteCandidates => remoteCandidates;

    public IceAgentCounters Counters { get; } = new();

    /// <summary>The next time <see cref="HandleTimeout"/> has work, or null when it has none.</summary>
    public long? NextTimeoutMs => ComputeNextTimeout();

    public void SetRemoteCredentials(IceCredentials credentials)
    {
        remote = credentials;
        remoteKey = Encoding.UTF8.GetBytes(credentials.Password);
    }

    /// <summary>Adds one of our candidates (trickle: any time). Host candidates are paired at once.</summary>
    public void AddLocalCandidate(IceCandidate candidate, IPEndPoint baseEndPoint)
    {
        var added = new LocalCandidate(candidate, baseEndPoint);
        localCandidates.Add(added);
        if (candidate.Type != IceCandidateType.Host)
        {
            return;
        }

        foreach (IceCandidate remoteCandidate in remoteCandidates)
        {
            if (remoteCandidate.EndPoint is { } endPoint)
            {
                checkList.Add(added, remoteCandidate, endPoint, Role);
            }
        }
    }

    public void LocalGatheringComplete()
    {
        localGatheringDone = true;
        CheckForFailure(clockIsFresh: false);
        UpdateState();
    }

    /// <summary>
    /// Adds a remote candidate (trickle: any time, before or after the credentials). Returns false
    /// when it cannot be used: TCP, relay, a component other than 1, or a hostname such as a
    /// browser's "&lt;uuid&gt;.local", which we reach by learning its peer-reflexive address instead.
    /// </summary>
    public bool AddRemoteCandidate(IceCandidate candidate)
    {
        if (!candidate.IsUdp || candidate.Component != 1 || candidate.Type == IceCandidateType.Relay || candidate.EndPoint is not { } endPoint)
        {
            Counters.RemoteCandidatesIgnored++;
            return false;
        }

        if (remoteCandidates.Any(c => Equals(c.EndPoint, endPoint)))
        {
            return true;
        }

        remoteCandidates.Add(candidate);
        foreach (LocalCandidate localCandidate in localCandidates.Where(c => c.Candidate.Type == IceCandidateType.Host))
        {
            checkList.Add(localCandidate, candidate, endPoint, Role);
        }

        return true;
    }

    /// <summary>The peer said end-of-candidates: from now on, all pairs failing (and no new peer-reflexive pair within <see cref="IceAgentOptions.FailureGraceMs"/>) means ICE failed.</summary>
    public void RemoteEndOfCandidates()
    {
        remoteCandidatesDone = true;
        CheckForFailure(clockIsFresh: false);
        UpdateState();
    }

    public bool TryDequeueOutput(out IceOutgoingDatagram datagram) => output.TryDequeue(out datagram);

    /// <summary>
    /// Where DTLS should go right now: the selected pair; before nomination the best valid pair;
    /// failing that the best pair the peer has checked us on (Chromium as controlled starts DTLS
    /// before we nominate, notes §0.4). False once consent has expired or nothing is usable.
    /// </summary>
    public bool TryGetDataPath(out IPEndPoint localBase, out IPEndPoint remoteEndPoint)
    {
        CandidatePair? pair = consentExpired || checklistFailed
            ? null
            : SelectedPair ?? checkList.BestValid() ?? checkList.Pairs.FirstOrDefault(p => p.ReceivedValidRequest);
        localBase = pair?.Local.Base ?? new IPEndPoint(IPAddress.None, 0);
        remoteEndPoint = pair?.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        return pair is not null;
    }

    /// <summary>Feeds one datagram that arrived on the socket bound to <paramref name="localBase"/> from <paramref name="source"/>.</summary>
    public IceInputResult HandleDatagram(ReadOnlySpan<byte> datagram, IPEndPoint localBase, IPEndPoint source, long nowMs)
    {
        clockMs = Math.Max(clockMs, nowMs);
        switch (DatagramDemux.Classify(datagram))
        {
            case DatagramKind.Stun:
                HandleStun(datagram, localBase, source, nowMs);
                return IceInputResult.Stun;
            case DatagramKind.Dtls:
                if (!consentExpired && checkList.Pairs.Any(p => p.Matches(localBase, source) && (p.Valid || p.ReceivedValidRequest)))
                {
                    return IceInputResult.Application;
                }

                Counters.UnverifiedApplicationData++;
                return IceInputResult.Dropped;
            default:
                Counters.OtherProtocol++;
                return IceInputResult.Dropped;
        }
    }

    public void HandleTimeout(long nowMs)
    {
        clockMs = Math.Max(clockMs, nowMs);
        RunRetransmissions(nowMs);
        RunConsent(nowMs);
        StartNominationIfDue(nowMs);
        if (nowMs >= nextPacingMs && SendNextCheck(nowMs))
        {
            nextPacingMs = nowMs + options.PacingMs;
        }

        CheckForFailure(clockIsFresh: true);
        UpdateState();
    }
}
