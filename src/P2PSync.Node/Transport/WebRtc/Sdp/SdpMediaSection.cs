using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// One <c>m=</c> section with the attributes we understand. The parser has already applied the
/// session-level ICE and DTLS attributes where the section had none (the media level wins), so
/// each section holds what is in force for it. Attributes we do not know are not kept at all,
/// which is what makes it impossible to echo them.
/// </summary>
internal sealed record SdpMediaSection
{
    /// <summary>The modern data channel transport (RFC 8841).</summary>
    public const string UdpDtlsSctp = "UDP/DTLS/SCTP";

    /// <summary>The pre-RFC form (draft-ietf-mmusic-sctp-sdp-05): format is the SCTP port, with a=sctpmap.</summary>
    public const string LegacyDtlsSctp = "DTLS/SCTP";

    public const string DataChannelFormat = "webrtc-datachannel";

    /// <summary>RFC 8841 §5: the SCTP port when a=sctp-port is absent.</summary>
    public const int DefaultSctpPort = 5000;

    /// <summary>RFC 8841 §6: the max message size when a=max-message-size is absent.</summary>
    public const ulong DefaultMaxMessageSize = 65536;

    public required string Media { get; init; }

    /// <summary>0 means the section is rejected (RFC 8866 §5.14, RFC 3264 §6).</summary>
    public required int Port { get; init; }

    public required string Protocol { get; init; }

    public required IReadOnlyList<string> Formats { get; init; }

    /// <summary>The c= value ("IN IP4 0.0.0.0"), when one applies.</summary>
    public string? Connection { get; init; }

    public string? Mid { get; init; }

    public string? IceUfrag { get; init; }

    public string? IcePwd { get; init; }

    public IReadOnlyList<string> IceOptions { get; init; } = [];

    public IReadOnlyList<DtlsFingerprint> Fingerprints { get; init; } = [];

    /// <summary>a=setup, or null when absent (an offer then means actpass, an answer active: notes §2.3).</summary>
    public SdpSetupRole? Setup { get; init; }

    /// <summary>a=sctp-port, or for the legacy form the format number; null when absent.</summary>
    public int? SctpPort { get; init; }

    /// <summary>a=max-message-size as sent (0 means "no limit"), or null when absent.</summary>
    public ulong? MaxMessageSize { get; init; }

    /// <summary>UDP candidates only: TCP ones are dropped while parsing (we are UDP only).</summary>
    public IReadOnlyList<IceCandidate> Candidates { get; init; } = [];

    public bool EndOfCandidates { get; init; }

    public bool IsRejected => Port == 0;

    public bool IsLegacySctp => string.Equals(Protocol, LegacyDtlsSctp, StringComparison.OrdinalIgnoreCase);

    /// <summary>An application section that carries data channels over UDP, in the modern or the legacy form.</summary>
    public bool IsDataChannel =>
        Media == "application"
        && ((string.Equals(Protocol, UdpDtlsSctp, StringComparison.OrdinalIgnoreCase) && Formats.Contains(DataChannelFormat))
            || (IsLegacySctp && Formats.Count >= 1 && SdpGrammar.TryParseDecimal(Formats[0], ushort.MaxValue, out _)));

    public bool SupportsTrickle => IceOptions.Contains("trickle");

    public int EffectiveSctpPort => SctpPort ?? DefaultSctpPort;

    /// <summary>The size limit the peer announced: null when it said 0 (no limit), 65536 when it said nothing.</summary>
    public ulong? EffectiveMaxMessageSize => (MaxMessageSize ?? DefaultMaxMessageSize) switch
    {
        0 => null,
        var size => size,
    };
}
