using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Handoff;

/// <summary>
/// The sender an awareness state was last accepted from. States are removed at once when their
/// origin leaves, and a removal that keeps the clock (Yjs's "this path lost it") is only believed
/// from the origin, so a stale path cannot delete a state that is still alive elsewhere.
/// </summary>
internal readonly record struct AwarenessOrigin
{
    private AwarenessOrigin(AwarenessOriginKind kind, DeviceId peer, object? client)
    {
        Kind = kind;
        PeerId = peer;
        Client = client;
    }

    public AwarenessOriginKind Kind { get; }

    /// <summary>The peer, when <see cref="Kind"/> is <see cref="AwarenessOriginKind.Peer"/>.</summary>
    public DeviceId PeerId { get; }

    /// <summary>The local client (compared by reference), when <see cref="Kind"/> is <see cref="AwarenessOriginKind.Local"/>.</summary>
    public object? Client { get; }

    public static AwarenessOrigin Self { get; } = new(AwarenessOriginKind.Self, default, null);

    public static AwarenessOrigin Peer(DeviceId peer) =>
        peer.IsEmpty ? throw new ArgumentException("an empty device id names no peer", nameof(peer)) : new(AwarenessOriginKind.Peer, peer, null);

    public static AwarenessOrigin Local(object client) => new(AwarenessOriginKind.Local, default, client ?? throw new ArgumentNullException(nameof(client)));

    public bool IsPeer(DeviceId peer) => Kind == AwarenessOriginKind.Peer && PeerId.Equals(peer);

    public bool Equals(AwarenessOrigin other) =>
        Kind == other.Kind && PeerId.Equals(other.PeerId) && ReferenceEquals(Client, other.Client);

    public override int GetHashCode() =>
        HashCode.Combine(Kind, PeerId, Client is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Client));

    public override string ToString() => Kind switch
    {
        AwarenessOriginKind.Peer => "peer " + PeerId.ToShortString(),
        AwarenessOriginKind.Local => "local client",
        _ => "this device",
    };
}
