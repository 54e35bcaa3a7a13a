using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>What the rendezvous needs to know about spaces (the node passes its NodeSpaces; tests a fixed set).</summary>
internal interface IRendezvousSpaces
{
    /// <summary>Seals with the space's current key.</summary>
    /// <exception cref="Hosting.UnknownSpaceException">No such space, or no key held.</exception>
    byte[] Seal(SpaceId space, ReadOnlySpan<byte> plaintext);

    /// <summary>Opens with whichever held epoch it names.</summary>
    /// <exception cref="SealedEnvelopeException">Malformed, another space, an epoch not held, or forged.</exception>
    /// <exception cref="Hosting.UnknownSpaceException">No such space here.</exception>
    OpenedEnvelope Open(SpaceId space, ReadOnlySpan<byte> sealedBytes);

    /// <summary>The current key epoch, or null without a key.</summary>
    ulong? CurrentEpoch(SpaceId space);

    bool IsMember(SpaceId space, DeviceId device);
}
