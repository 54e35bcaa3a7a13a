namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>What simple-peer emits as a <c>signal</c> event (and accepts in <c>peer.signal()</c>).</summary>
internal abstract record PeerSignal;
