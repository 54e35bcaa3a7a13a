using System.Text.Json.Nodes;

namespace P2PSync.Interop.Tests.Differential;

/// <summary>A generated script and what our CRDT made of it.</summary>
internal sealed record Scenario(int Seed, JsonObject Script, JsonObject Ours);
