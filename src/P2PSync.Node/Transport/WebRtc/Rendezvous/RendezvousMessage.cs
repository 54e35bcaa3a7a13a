using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// One rendezvous message between two members of a space, as signed by <see cref="Sender"/>
/// (layout in <see cref="RendezvousCodec"/>). Space and epoch are inside the signature so a
/// message cannot be moved to another space, or replayed after a key rotation, by a device that
/// holds both keys.
/// </summary>
/// <param name="Target">The device it is for; <c>default</c> (all zero on the wire) = every member (hello and bye only).</param>
/// <param name="Session">16 random bytes naming one connection attempt; every message of the attempt carries it.</param>
/// <param name="TimestampMs">The sender's clock, Unix milliseconds; receivers refuse messages too far from their own.</param>
/// <param name="Body">SDP for offer/answer, one candidate line for candidate, an optional reason for bye, empty for hello.</param>
internal sealed record RendezvousMessage(
    RendezvousMessageType Type,
    SpaceId Space,
    ulong Epoch,
    DeviceId Sender,
    DeviceId Target,
    ReadOnlyMemory<byte> Session,
    long TimestampMs,
    string Body)
{
    /// <summary>Session ids are this long.</summary>
    public const int SessionLength = 16;

    public bool IsBroadcast => Target.IsEmpty;

    /// <summary>The session id as lower-case hex (for logs and dictionary keys).</summary>
    public string SessionText => Convert.ToHexStringLower(Session.Span);
}
