namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A data channel (made here or by the remote side) is open; Id is its SCTP stream id.</summary>
internal sealed record ChannelOpenEvent(string Label, int? Id, bool Ordered, int? MaxRetransmits, string Protocol) : PeerEvent;
