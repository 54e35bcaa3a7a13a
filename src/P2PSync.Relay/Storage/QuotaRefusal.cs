namespace P2PSync.Relay.Storage;

internal enum QuotaRefusal
{
    None,
    TopicBytes,
    TopicEnvelopes,
    DeviceBytes,
}
