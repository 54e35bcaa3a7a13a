using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Hosting;

/// <summary>
/// What <see cref="DocumentHub"/> needs to sign local changes: this device's key, whether it may
/// write in a space now (a viewer's edits are refused before they touch the document), and the
/// lowest author seq it may use per document (raised by a device import, so a restored device
/// never reuses a seq its old self already signed).
/// </summary>
internal sealed class RecordSigning
{
    private readonly Func<SpaceId, bool> _canWrite;
    private readonly Func<string, ulong> _seqFloor;

    // The floor is read once per document: it only changes when a device is imported, which
    // happens with no node running, and reading the store on every keystroke cost more than signing.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ulong> _floors = new(StringComparer.Ordinal);

    public RecordSigning(DeviceKey key, Func<SpaceId, bool> canWrite, Func<string, ulong>? seqFloor = null)
    {
        Key = key;
        _canWrite = canWrite;
        _seqFloor = seqFloor ?? (_ => 1);
    }

    public DeviceKey Key { get; }

    public bool CanWrite(SpaceId space) => _canWrite(space);

    public ulong SeqFloor(string docId) => _floors.GetOrAdd(docId, _seqFloor);
}
