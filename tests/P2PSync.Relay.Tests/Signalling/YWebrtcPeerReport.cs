namespace P2PSync.Relay.Tests.Signalling;

/// <summary>What one y-webrtc peer process saw: its id, its signalling connection, the peers it met and whose SDP it received.</summary>
internal sealed record YWebrtcPeerReport(string PeerId, bool Connected, IReadOnlySet<string> Peers, IReadOnlySet<string> SdpFrom);
