namespace P2PSync.Relay.Mailbox;

/// <summary>
/// A refusal of one client frame: the Error sent back, and (when <see cref="Closes"/>) the close
/// status that ends the connection. Only fixed texts go into the message, never client bytes.
/// </summary>
internal sealed record MailboxRefusal(string Code, string Message, System.Net.WebSockets.WebSocketCloseStatus? Closes = null);
