namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>Which real WebRTC implementation a <see cref="RemotePeer"/> runs.</summary>
internal enum PeerDriver
{
    /// <summary>werift 0.25.2 in node: tests/oracle/webrtc-werift-peer.mjs.</summary>
    Werift,

    /// <summary>Headless Chromium through playwright-core: tests/oracle/webrtc-chromium-peer.mjs.</summary>
    Chromium,
}
