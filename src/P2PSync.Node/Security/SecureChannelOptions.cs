using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security;

/// <summary>Limits and policy of one <see cref="SecureChannel"/>.</summary>
internal sealed record SecureChannelOptions
{
    /// <summary>64 MiB: far above any document delta we send, small enough that a peer cannot exhaust memory.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024 * 1024;

    public static SecureChannelOptions Default { get; } = new();

    /// <summary>Largest whole message (after reassembling chunks) either side may send.</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>
    /// Decides whether the authenticated remote device may use this channel; called as soon as its
    /// identity is known (an initiator checks before revealing its own identity). Null accepts anyone.
    /// </summary>
    public Func<DeviceId, bool>? AcceptRemote { get; init; }

    /// <summary>How long the whole handshake may take before it counts as a protocol violation.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for <see cref="HandshakeTimeout"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether disposing the channel leaves the underlying stream open.</summary>
    public bool LeaveOpen { get; init; }
}
