using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// The glare rule: of two devices that find each other, only the one with the lower DeviceId
/// (ordinal order of the text form, the same order the connection manager's tie-break uses)
/// sends the offer. Both sides compute the same answer, so two offers never cross.
/// </summary>
internal static class RendezvousRoles
{
    public static bool ShouldOffer(DeviceId self, DeviceId remote) =>
        string.CompareOrdinal(self.ToString(), remote.ToString()) < 0;
}
