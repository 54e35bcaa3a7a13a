using P2PSync.Relay.Metrics;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Mailbox;

/// <summary>The relay-wide singletons every mailbox connection uses, resolved once from DI.</summary>
internal sealed record MailboxDependencies(
    RelayOptions Options,
    IMailboxStore Store,
    IMailboxFanout Fanout,
    RelayMetrics Metrics,
    NonceLedger Nonces,
    DeviceRateLimiter DeviceLimiter,
    TimeProvider Time,
    ILoggerFactory LoggerFactory);
