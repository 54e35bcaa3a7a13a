namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// A parsed (or to-be-written) SDP offer or answer for a data-only session: the session part and
/// its m= sections in order. Order matters: an answer has exactly the offer's sections, in the
/// offer's order (RFC 3264 §6).
/// </summary>
internal sealed record SessionDescription
{
    public required SdpOrigin Origin { get; init; }

    public string SessionName { get; init; } = "-";

    /// <summary>a=ice-lite at session level: the peer only answers checks (RFC 8445 §2.5).</summary>
    public bool IceLite { get; init; }

    /// <summary>Each a=group:BUNDLE, as its list of mids.</summary>
    public IReadOnlyList<IReadOnlyList<string>> BundleGroups { get; init; } = [];

    public IReadOnlyList<SdpMediaSection> MediaSections { get; init; } = [];

    /// <summary>The first data channel section that is not rejected, or null.</summary>
    public SdpMediaSection? DataSection => MediaSections.FirstOrDefault(m => m.IsDataChannel && !m.IsRejected);

    /// <summary>The index of <see cref="DataSection"/> (the sdpMLineIndex trickled candidates refer to), or -1.</summary>
    public int DataSectionIndex => MediaSections.ToList().FindIndex(m => m.IsDataChannel && !m.IsRejected);
}
