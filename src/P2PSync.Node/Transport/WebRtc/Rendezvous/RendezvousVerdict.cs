namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>What <see cref="RendezvousInbox.Take"/> made of one publish: the message, or why it was refused (with a detail for the log).</summary>
internal readonly record struct RendezvousVerdict(RendezvousMessage? Message, RendezvousRefusal Refusal, string Detail)
{
    public static RendezvousVerdict Taken(RendezvousMessage message) => new(message, RendezvousRefusal.None, "");

    public static RendezvousVerdict Refused(RendezvousRefusal refusal, string detail) => new(null, refusal, detail);
}
