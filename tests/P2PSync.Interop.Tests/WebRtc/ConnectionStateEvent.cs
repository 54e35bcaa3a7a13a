namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>The peer connection's connectionState changed (new, connecting, connected, disconnected, failed, closed).</summary>
internal sealed record ConnectionStateEvent(string State) : PeerEvent;
