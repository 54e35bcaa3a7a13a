using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>The node's spaces as the rendezvous sees them: rendezvous envelopes sealed with the current key, membership now.</summary>
internal sealed class NodeRendezvousSpaces(NodeSpaces spaces) : IRendezvousSpaces
{
    public byte[] Seal(SpaceId space, ReadOnlySpan<byte> plaintext) => spaces.Seal(space, SealedEnvelopeKind.WebRtcRendezvous, plaintext);

    public OpenedEnvelope Open(SpaceId space, ReadOnlySpan<byte> sealedBytes) => spaces.Open(space, sealedBytes);

    public ulong? CurrentEpoch(SpaceId space) => spaces.Find(space) is { Keys.Count: > 0 } found ? found.Keys.Current.Epoch : null;

    public bool IsMember(SpaceId space, DeviceId device) => spaces.IsMember(space, device);
}
