namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>An SDP offer or answer as a peer produced it, byte for byte (the C# test only relays it).</summary>
internal sealed record SessionDescriptionText(string Type, string Sdp);
