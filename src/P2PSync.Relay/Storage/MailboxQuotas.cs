namespace P2PSync.Relay.Storage;

/// <summary>Limits checked atomically with each append.</summary>
internal sealed record MailboxQuotas(long TopicBytes, int TopicEnvelopes, long DeviceBytes);
