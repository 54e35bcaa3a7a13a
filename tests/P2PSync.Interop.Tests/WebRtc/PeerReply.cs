using System.Text.Json;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A driver's answer to the command with the same id: its result object, or why it failed.</summary>
internal sealed record PeerReply(int? Id, bool Ok, JsonElement Result, string? Error) : ControlLine;
