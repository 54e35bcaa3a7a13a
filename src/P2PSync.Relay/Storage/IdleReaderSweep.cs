namespace P2PSync.Relay.Storage;

/// <summary>What forgetting idle readers did: readers dropped, and envelopes deleted because only those readers still held them.</summary>
internal sealed record IdleReaderSweep(int ReadersForgotten, int EnvelopesDeleted);
