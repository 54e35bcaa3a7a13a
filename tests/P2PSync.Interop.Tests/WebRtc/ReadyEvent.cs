namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>The driver is up and reads commands; which implementation and version it runs.</summary>
internal sealed record ReadyEvent(string Driver, string Version) : PeerEvent;
