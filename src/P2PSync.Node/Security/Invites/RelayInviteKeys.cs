using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// What an invite redeemable through the relay derives from its one-time secret
/// (docs/protocol/join.md, "Through the relay"):
/// <code>
///   invite box key  = BLAKE2b(out 32, key = secret, msg = "p2psync/invite-box/v1")    XChaCha20-Poly1305 key
///   invite seed     = BLAKE2b(out 32, key = secret, msg = "p2psync/invite-sign/v1")   Ed25519 seed: the invite key
///   invite topic    = BLAKE2b(out 32, key = "p2psync/relay-invite-topic/v1", msg = invite id 16)
/// </code>
/// Only holders of the secret (the inviter and whoever got the code) can open the package or
/// sign the AddMember that claims the invite; the topic is computed from the invite id alone, so
/// it reveals neither the secret nor the space (the relay cannot link it to the space's topic).
/// </summary>
internal static class RelayInviteKeys
{
    public const int BoxKeyBytes = 32;
    public const int TopicBytes = 32;

    private static ReadOnlySpan<byte> BoxLabel => "p2psync/invite-box/v1"u8;

    private static ReadOnlySpan<byte> SignLabel => "p2psync/invite-sign/v1"u8;

    private static ReadOnlySpan<byte> TopicLabel => "p2psync/relay-invite-topic/v1"u8;

    /// <summary>The key the invite package (and anything else posted on the invite topic) is sealed under.</summary>
    public static byte[] BoxKey(ReadOnlySpan<byte> secret)
    {
        RequireSecret(secret);
        var key = new byte[BoxKeyBytes];
        Sodium.Blake2b(key, BoxLabel, secret);
        return key;
    }

    /// <summary>The invite key pair: OpenInvite names its public key, the joiner signs its own AddMember with it.</summary>
    public static DeviceKey SigningKey(ReadOnlySpan<byte> secret)
    {
        RequireSecret(secret);
        Span<byte> seed = stackalloc byte[DeviceKey.SeedLength];
        Sodium.Blake2b(seed, SignLabel, secret);
        try
        {
            return DeviceKey.FromSeed(seed);
        }
        finally
        {
            seed.Clear();
        }
    }

    /// <summary>The mailbox topic the invite package is posted to.</summary>
    public static byte[] Topic(ReadOnlySpan<byte> inviteId)
    {
        if (inviteId.Length != InviteSecrets.InviteIdBytes)
        {
            throw new ArgumentException($"An invite id is {InviteSecrets.InviteIdBytes} bytes, not {inviteId.Length}.", nameof(inviteId));
        }

        var topic = new byte[TopicBytes];
        Sodium.Blake2b(topic, inviteId, TopicLabel);
        return topic;
    }

    private static void RequireSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != InviteSecrets.SecretBytes)
        {
            throw new ArgumentException($"An invite secret is {InviteSecrets.SecretBytes} bytes, not {secret.Length}.", nameof(secret));
        }
    }
}
