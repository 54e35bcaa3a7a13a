using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>One attempt to connect to one device over WebRTC: from the offer until the Noise channel is up (or it fails or times out).</summary>
internal sealed class RendezvousSession
{
    public RendezvousSession(DeviceId remote, SpaceId space, byte[] id, bool offerer, PeerConnection peer, long startedTimestamp)
    {
        Remote = remote;
        Space = space;
        Id = id;
        Offerer = offerer;
        Peer = peer;
        StartedTimestamp = startedTimestamp;
    }

    public DeviceId Remote { get; }

    /// <summary>The space whose topic carries the session's messages.</summary>
    public SpaceId Space { get; }

    public byte[] Id { get; }

    public string IdText => Convert.ToHexStringLower(Id);

    /// <summary>True on the device that sent the offer (it also runs the Noise handshake as initiator).</summary>
    public bool Offerer { get; }

    public PeerConnection Peer { get; }

    public long StartedTimestamp { get; }

    /// <summary>Set once the answer was applied (offerer) so a duplicate answer is ignored.</summary>
    public bool Answered { get; set; }

    /// <summary>Set once our offer or answer is queued for the peer; until then local candidates are held (lock the session).</summary>
    public bool DescriptionSent { get; set; }

    /// <summary>Local candidates raised before our description was queued.</summary>
    public List<string> HeldCandidates { get; } = [];

    /// <summary>Set when the session ended without a connection; its peer connection is disposed by whoever set it.</summary>
    public bool Abandoned { get; set; }
}
