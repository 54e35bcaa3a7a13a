using P2PSync.Node.Crypto;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Transport.Relay;

/// <summary>
/// The mailbox topic of a space: BLAKE2b-256 of the space id, keyed with a fixed label. Every
/// member computes the same topic; the relay learns neither the space id nor which topics belong
/// together (docs/dev/relay-contract.md, node side).
/// </summary>
internal static class RelayTopics
{
    public const int Length = 32;

    private static ReadOnlySpan<byte> Label => "p2psync/relay-topic/v1"u8;

    public static byte[] For(SpaceId space)
    {
        if (space.IsEmpty)
        {
            throw new ArgumentException("A topic needs a space.", nameof(space));
        }

        var topic = new byte[Length];
        Sodium.Blake2b(topic, space.Bytes, Label);
        return topic;
    }
}
