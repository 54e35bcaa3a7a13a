namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>Something a peer driver reports without being asked (descriptions, candidates, channel and connection changes).</summary>
internal abstract record PeerEvent : ControlLine;
