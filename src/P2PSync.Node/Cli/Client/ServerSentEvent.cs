namespace P2PSync.Node.Cli.Client;

/// <summary>One dispatched server-sent event: its id (null when the server sent none), name and data.</summary>
internal sealed record ServerSentEvent(string? Id, string Event, string Data);
