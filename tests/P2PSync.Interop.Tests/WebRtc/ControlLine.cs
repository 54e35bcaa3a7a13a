namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>One line a peer driver prints: a <see cref="PeerReply"/> to a command or a <see cref="PeerEvent"/>.</summary>
internal abstract record ControlLine;
