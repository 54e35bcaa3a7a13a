namespace P2PSync.Interop.Tests.Handoff;

/// <summary>One document of an activity as printed: its id and the cursor and anchor resolved to indexes now.</summary>
internal sealed record ResumedDocument(string Id, int? Cursor, int? Anchor);
