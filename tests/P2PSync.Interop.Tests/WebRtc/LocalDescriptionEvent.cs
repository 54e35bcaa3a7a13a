namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>The peer set a new local description (after createOffer or createAnswer).</summary>
internal sealed record LocalDescriptionEvent(SessionDescriptionText Description) : PeerEvent;
