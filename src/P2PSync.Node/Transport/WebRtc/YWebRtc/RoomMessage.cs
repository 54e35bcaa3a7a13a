namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// One y-webrtc room payload (the <c>data</c> of a signalling publish): an announce or a
/// simple-peer signal. <see cref="From"/> is the sender's room peer id (a uuid it picks per room).
/// </summary>
internal abstract record RoomMessage(string From);
