namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>What a rendezvous message asks for (docs/protocol/webrtc-rendezvous.md). The values are the wire encoding.</summary>
internal enum RendezvousMessageType : byte
{
    /// <summary>"I am here": to everyone (target zero) when this device joins the topic, or to one device in answer to its hello.</summary>
    Hello = 1,

    /// <summary>An SDP offer to the target; only the device with the lower id offers (<see cref="RendezvousRoles"/>).</summary>
    Offer = 2,

    /// <summary>The SDP answer to an offer of the same session.</summary>
    Answer = 3,

    /// <summary>One trickled ICE candidate line of the session ("" = end of candidates).</summary>
    Candidate = 4,

    /// <summary>The session is over (closed, failed or refused); the body may say why.</summary>
    Bye = 5,
}
