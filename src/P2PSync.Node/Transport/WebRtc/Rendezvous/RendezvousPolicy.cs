using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// The rendezvous decisions as pure functions, so they are tested without sockets
/// (docs/protocol/webrtc-rendezvous.md, "Who offers"). Messages reach these only after
/// <see cref="RendezvousInbox"/> took them.
/// </summary>
internal static class RendezvousPolicy
{
    public static RendezvousStep OnHello(DeviceId self, RendezvousMessage hello, RendezvousPeerState peer)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (!peer.MayConnect || peer.Connected || peer.HasSession)
        {
            return RendezvousStep.Ignore;
        }

        if (RendezvousRoles.ShouldOffer(self, hello.Sender))
        {
            return RendezvousStep.Offer;
        }

        // Only a broadcast hello is answered: two targeted hellos never bounce back and forth.
        return hello.IsBroadcast ? RendezvousStep.HelloBack : RendezvousStep.Ignore;
    }

    public static RendezvousStep OnOffer(DeviceId self, RendezvousMessage offer, RendezvousPeerState peer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (!RendezvousRoles.ShouldOffer(offer.Sender, self))
        {
            return RendezvousStep.RefuseGlare;
        }

        // Offered again while connected over WebRTC: the peer lost that connection first (it
        // restarted, say); the new one replaces it. Over LAN there is nothing to gain.
        if (!peer.MayConnect || (peer.Connected && !peer.ConnectedOverWebRtc) || peer.HasThisSession)
        {
            return RendezvousStep.Ignore;
        }

        return RendezvousStep.Answer;
    }
}
