namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A channel reached the closed state (closed here or by the remote side).</summary>
internal sealed record ChannelCloseEvent(string Label) : PeerEvent;
