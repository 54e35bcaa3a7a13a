namespace P2PSync.Relay.Storage;

/// <summary>An envelope to store: opaque bytes, who posted it (for the device quota) and when it expires.</summary>
internal sealed record NewEnvelope(byte[] Topic, byte[] Poster, byte[] Envelope, DateTimeOffset ExpiresAt);
