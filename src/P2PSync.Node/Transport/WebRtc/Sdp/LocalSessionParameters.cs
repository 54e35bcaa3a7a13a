using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// What we put into our offer or answer. The caller draws <see cref="SessionId"/> and the ICE
/// credentials from its own (seeded in tests) random source: this type stays a pure value.
/// </summary>
internal sealed record LocalSessionParameters
{
    /// <summary>Chromium's cap on what it accepts and sends (notes §0.8); announcing more only misleads browsers.</summary>
    public const ulong DefaultMaxMessageSize = 262144;

    /// <summary>A random number below 2^63 (RFC 8866 §5.2 recommends NTP-like or random; browsers use 63 bits).</summary>
    public required ulong SessionId { get; init; }

    /// <summary>1 for the first description, one more for each new one in the same session.</summary>
    public ulong SessionVersion { get; init; } = 1;

    public required string IceUfrag { get; init; }

    public required string IcePwd { get; init; }

    /// <summary>The fingerprint of our DTLS certificate (sha-256).</summary>
    public required DtlsFingerprint Fingerprint { get; init; }

    public int SctpPort { get; init; } = SdpMediaSection.DefaultSctpPort;

    /// <summary>The largest message we accept; 0 would mean "no limit".</summary>
    public ulong MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>The mid of our data section when we offer (an answer copies the offer's).</summary>
    public string Mid { get; init; } = "0";

    /// <summary>Candidates gathered before the description is sent (empty when trickling).</summary>
    public IReadOnlyList<IceCandidate> Candidates { get; init; } = [];

    /// <summary>True when gathering has finished and <see cref="Candidates"/> is complete.</summary>
    public bool EndOfCandidates { get; init; }

    /// <summary>Checks our own values with <see cref="ArgumentException"/>: a mistake here is ours, not the peer's.</summary>
    public void Validate()
    {
        if (IceUfrag.Length is < 4 or > 256 || !SdpGrammar.IsIceChars(IceUfrag))
        {
            throw new ArgumentException("the ICE ufrag must be 4 to 256 ice-chars", nameof(IceUfrag));
        }

        if (IcePwd.Length is < 22 or > 256 || !SdpGrammar.IsIceChars(IcePwd))
        {
            throw new ArgumentException("the ICE pwd must be 22 to 256 ice-chars", nameof(IcePwd));
        }

        if (!SdpGrammar.IsToken(Mid))
        {
            throw new ArgumentException("the mid must be a token", nameof(Mid));
        }

        if (SctpPort is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException("the SCTP port must be 1 to 65535", nameof(SctpPort));
        }

        if (SessionId > long.MaxValue)
        {
            throw new ArgumentException("the session id must be below 2^63", nameof(SessionId));
        }
    }
}
