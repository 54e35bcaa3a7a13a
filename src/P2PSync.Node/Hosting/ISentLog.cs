using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Remembers, per peer and document, up to which local log seq the peer has been sent
/// everything, so <c>status</c> can say "behind by N updates" for peers that are offline.
/// Written when a connection ends, not per message, to keep fsyncs off the sync path.
/// </summary>
internal interface ISentLog
{
    long SentUpto(string deviceId, string docId);

    void Record(DeviceId device, IReadOnlyDictionary<string, long> sentUpto);
}
