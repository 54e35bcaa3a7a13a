namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>What to do about a hello or an offer (<see cref="RendezvousPolicy"/>).</summary>
internal enum RendezvousStep
{
    /// <summary>Nothing: already connected, already trying, or not a device we may connect to.</summary>
    Ignore,

    /// <summary>We are the lower device id: start a session and send an offer.</summary>
    Offer,

    /// <summary>We are the higher device id: say hello to the sender alone, so it offers.</summary>
    HelloBack,

    /// <summary>Take the offer: a new session that answers it (replacing an unfinished one with the same device).</summary>
    Answer,

    /// <summary>An offer from the device that should not offer: refuse it with a bye.</summary>
    RefuseGlare,
}
