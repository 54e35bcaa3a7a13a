namespace P2PSync.Relay.Storage;

internal sealed record StoredEnvelope(ulong Cursor, byte[] Envelope);
