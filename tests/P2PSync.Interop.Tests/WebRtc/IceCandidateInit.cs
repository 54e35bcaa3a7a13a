namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A trickled candidate in the browser's RTCIceCandidateInit shape (<c>candidate:...</c> without "a=").</summary>
internal sealed record IceCandidateInit(string Candidate, string? SdpMid, int? SdpMLineIndex, string? UsernameFragment);
