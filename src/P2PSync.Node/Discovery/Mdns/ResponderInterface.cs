namespace P2PSync.Node.Discovery.Mdns;

/// <summary>The responder's mutable state for one interface: its records, phase and next timed step.</summary>
internal sealed class ResponderInterface(MdnsInterface nic, ResponderRecordSet records)
{
    public MdnsInterface Nic { get; set; } = nic;

    public IReadOnlyList<MdnsLink> Links { get; set; } = MdnsLink.Of(nic);

    /// <summary>What we own here now (current names, profile and addresses).</summary>
    public ResponderRecordSet Records { get; set; } = records;

    public ResponderPhase Phase { get; set; } = ResponderPhase.Idle;

    /// <summary>Probes or announcements sent in the current phase.</summary>
    public int Sent { get; set; }

    public DateTimeOffset? NextActionAt { get; set; }

    /// <summary>The records last multicast here: peers may cache them, so they are what a goodbye withdraws. Null when nothing was announced.</summary>
    public ResponderRecordSet? Announced { get; set; }

    /// <summary>True once probing has succeeded: the responder answers questions here.</summary>
    public bool Answers => Phase is ResponderPhase.Announcing or ResponderPhase.Established;
}
