using Microsoft.Extensions.Logging;
using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary><see cref="ISentLog"/> over the store's per-peer sync state (peer_sync.sent_upto_seq).</summary>
internal sealed class StoreSentLog : ISentLog
{
    private readonly PeerRepository _peers;
    private readonly ILogger _logger;

    public StoreSentLog(PeerRepository peers, ILogger logger)
    {
        _peers = peers;
        _logger = logger;
    }

    public long SentUpto(string deviceId, string docId) =>
        DeviceId.TryParse(deviceId, out var id) ? _peers.GetSyncState(id, docId)?.SentUptoSeq ?? 0 : 0;

    public void Record(DeviceId device, IReadOnlyDictionary<string, long> sentUpto)
    {
        foreach (var (docId, seq) in sentUpto)
        {
            try
            {
                _peers.MarkSent(device, docId, seq);
            }
            catch (StoreException ex)
            {
                // The peer was removed (or the doc is gone) meanwhile: nothing left to track.
                _logger.LogDebug("not recording sync state of {Device} for {DocId}: {Reason}", device.ToShortString(), docId, ex.Message);
            }
        }
    }
}
