using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>One document shared into one y-webrtc room.</summary>
internal sealed record YWebRtcRoomOptions
{
    public required string DocId { get; init; }

    /// <summary>The y-webrtc room name: the signalling topic, and the PBKDF2 salt when there is a password.</summary>
    public required string RoomName { get; init; }

    /// <summary>The room password (y-webrtc's <c>password</c> option); null = an open room.</summary>
    public string? Password { get; init; }

    /// <summary>Most WebRTC connections at once (y-webrtc picks 20 to 34 at random; a node can afford the upper end).</summary>
    public int MaxConnections { get; init; } = 34;

    /// <summary>Options for every peer connection of the room (bind addresses, STUN server, timeouts).</summary>
    public PeerConnectionOptions PeerConnection { get; init; } = new();
}
