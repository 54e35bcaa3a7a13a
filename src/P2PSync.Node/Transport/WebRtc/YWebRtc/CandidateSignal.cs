namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// <c>{type:"candidate", candidate:{candidate, sdpMLineIndex, sdpMid}}</c>: one trickled ICE
/// candidate, the candidate-attribute text without "a=". simple-peer never sends end-of-candidates.
/// </summary>
internal sealed record CandidateSignal(string Candidate, int? SdpMLineIndex, string? SdpMid) : PeerSignal;
