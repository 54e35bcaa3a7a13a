namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// Hands out SCTP stream ids for data channels (RFC 8832 §6): the DTLS client takes even ids, the
/// DTLS server odd ones, so both sides can open channels at the same moment without colliding.
/// An id stays taken until both directions of its stream have been reset (notes §3.7): reusing it
/// earlier would let the old channel's late messages land in the new one.
/// </summary>
internal sealed class StreamIdAllocator
{
    /// <summary>65535 is reserved (RFC 8831 §6.5): INIT can announce at most 65535 streams, 0..65534.</summary>
    public const int MaxStreamCount = 65535;

    private readonly Dictionary<ushort, bool> resettingById = [];
    private readonly int streamCount;

    /// <param name="localIsDtlsClient">Our DTLS role once it is known (client ⇒ even ids).</param>
    /// <param name="streamCount">How many streams the association has in each direction (the smaller of both sides' counts).</param>
    public StreamIdAllocator(bool localIsDtlsClient, int streamCount = MaxStreamCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(streamCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(streamCount, MaxStreamCount);
        LocalIsDtlsClient = localIsDtlsClient;
        this.streamCount = streamCount;
    }

    public bool LocalIsDtlsClient { get; }

    /// <summary>How many ids are taken (open or still resetting).</summary>
    public int Count => resettingById.Count;

    /// <summary>True when <paramref name="streamId"/> has the parity the given DTLS role opens channels on.</summary>
    public static bool HasParityOf(ushort streamId, bool dtlsClient) => (streamId % 2 == 0) == dtlsClient;

    /// <summary>The lowest free id of our parity, or false when every one is taken.</summary>
    public bool TryAllocate(out ushort streamId)
    {
        for (var id = LocalIsDtlsClient ? 0 : 1; id < streamCount; id += 2)
        {
            if (!resettingById.ContainsKey((ushort)id))
            {
                streamId = (ushort)id;
                resettingById[streamId] = false;
                return true;
            }
        }

        streamId = 0;
        return false;
    }

    /// <summary>
    /// Takes an id chosen by the application for a negotiated channel (no DCEP; either parity).
    /// False when it is taken or out of range.
    /// </summary>
    public bool TryClaim(ushort streamId)
    {
        if (streamId >= streamCount || resettingById.ContainsKey(streamId))
        {
            return false;
        }

        resettingById[streamId] = false;
        return true;
    }

    /// <summary>Checks a peer's OPEN on <paramref name="streamId"/> and takes the id when it is accepted.</summary>
    public IncomingOpenVerdict ClaimForIncomingOpen(ushort streamId)
    {
        if (streamId >= streamCount)
        {
            return IncomingOpenVerdict.OutOfRange;
        }

        if (resettingById.TryGetValue(streamId, out var resetting))
        {
            return resetting ? IncomingOpenVerdict.StillResetting : IncomingOpenVerdict.InUse;
        }

        resettingById[streamId] = false;
        return IncomingOpenVerdict.Accepted;
    }

    /// <summary>The channel on <paramref name="streamId"/> is closing: the id stays taken until <see cref="Release"/>.</summary>
    public void BeginReset(ushort streamId)
    {
        if (resettingById.ContainsKey(streamId))
        {
            resettingById[streamId] = true;
        }
    }

    /// <summary>Both directions of the stream are reset: the id may be used again.</summary>
    public void Release(ushort streamId) => resettingById.Remove(streamId);

    public bool IsTaken(ushort streamId) => resettingById.ContainsKey(streamId);
}
