namespace P2PSync.Node.Storage;

/// <summary>A stored relay: its normalised URL and when it was added (Unix ms).</summary>
internal sealed record RelayRow(string Url, long AddedMs);
