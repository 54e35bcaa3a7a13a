namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A message arrived on a channel: exactly one of Text (a string message) and Binary is set.</summary>
internal sealed record ChannelMessageEvent(string Label, string? Text, byte[]? Binary) : PeerEvent;
