namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// <c>{type:"announce", from}</c>: a peer entered the room (or lost a connection and looks for
/// more). Whoever hears it and has room for another connection opens one as the initiator.
/// </summary>
internal sealed record AnnounceMessage(string From) : RoomMessage(From);
