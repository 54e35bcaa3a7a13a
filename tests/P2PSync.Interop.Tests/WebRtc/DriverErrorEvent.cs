namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>The driver hit an error outside any command (an unhandled rejection, a page error, a failed launch).</summary>
internal sealed record DriverErrorEvent(string Message) : PeerEvent;
