namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// <c>{to, from, type:"signal", token, signal}</c>: one simple-peer signal for one peer.
/// <see cref="Token"/> is the sender's glare token (its clock in ms plus a random fraction, fixed
/// per connection attempt): when two offers cross, the one with the larger token wins.
/// </summary>
internal sealed record PeerSignalMessage(string From, string To, double? Token, PeerSignal Signal) : RoomMessage(From);
