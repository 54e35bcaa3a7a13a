using P2PSync.Node.Crypto;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// The signalling topic of a space: BLAKE2b-256 of the space id keyed with a label of its own, as
/// lower-case hex (y-webrtc topics are strings). Another label than the mailbox topic's, so the
/// relay cannot link a space's signalling to its mailbox; every member computes the same topic.
/// </summary>
internal static class RendezvousTopics
{
    private static ReadOnlySpan<byte> Label => "p2psync/webrtc-rendezvous-topic/v1"u8;

    public static string For(SpaceId space)
    {
        if (space.IsEmpty)
        {
            throw new ArgumentException("A topic needs a space.", nameof(space));
        }

        Span<byte> topic = stackalloc byte[32];
        Sodium.Blake2b(topic, space.Bytes, Label);
        return Convert.ToHexStringLower(topic);
    }
}
