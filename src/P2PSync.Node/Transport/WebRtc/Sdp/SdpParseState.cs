namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>What <see cref="SdpParser"/> has read so far of one description (private to one parse).</summary>
internal sealed class SdpParseState
{
    public bool SawVersion { get; set; }

    public SdpOrigin? Origin { get; set; }

    public string? SessionName { get; set; }

    public bool SawTiming { get; set; }

    public bool IceLite { get; set; }

    public List<IReadOnlyList<string>> BundleGroups { get; } = [];

    public SdpAttributeSet SessionAttributes { get; } = new();

    /// <summary>Each m= line as read, with the attributes that followed it.</summary>
    public List<(SdpMediaSection Section, SdpAttributeSet Attributes)> Sections { get; } = [];

    /// <summary>The m= section being read, or null while still in the session part.</summary>
    public SdpMediaSection? CurrentSection => Sections.Count == 0 ? null : Sections[^1].Section;

    public SdpAttributeSet CurrentAttributes => Sections.Count == 0 ? SessionAttributes : Sections[^1].Attributes;

    public void StartSection(SdpMediaSection section) => Sections.Add((section, new SdpAttributeSet()));
}
