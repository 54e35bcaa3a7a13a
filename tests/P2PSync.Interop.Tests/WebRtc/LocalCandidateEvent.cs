namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>The peer gathered a candidate; null means its gathering is complete (end of candidates).</summary>
internal sealed record LocalCandidateEvent(IceCandidateInit? Candidate) : PeerEvent;
