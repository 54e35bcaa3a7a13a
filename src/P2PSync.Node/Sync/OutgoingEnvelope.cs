using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Sync;

/// <summary>An envelope to send on the connection identified by <paramref name="Connection"/>.</summary>
internal readonly record struct OutgoingEnvelope<TKey>(TKey Connection, Envelope Envelope);
