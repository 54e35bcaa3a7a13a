namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>Our answer to a remote offer and what it settles.</summary>
internal sealed record AnswerResult(SessionDescription Answer, NegotiatedSession Negotiated);
