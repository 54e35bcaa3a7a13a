using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The sync sessions' view of the node's documents: the live <see cref="DocumentHub"/>, with every
/// record a peer sends checked against the node's spaces (<see cref="RecordGate"/>) before the
/// hub sees it.
/// </summary>
internal sealed class HubSyncSource : ISyncDocumentSource
{
    private readonly DocumentHub _hub;
    private readonly NodeSpaces _spaces;

    public HubSyncSource(DocumentHub hub, NodeSpaces spaces)
    {
        _hub = hub;
        _spaces = spaces;
    }

    public IReadOnlyList<SyncDocument> ListDocuments() => _hub.List().Select(ToSync).ToList();

    public SyncDocument? FindDocument(string docId) => _hub.Get(docId) is { } record ? ToSync(record) : null;

    public RecordVector RecordVector(string docId) => _hub.RecordVectorOf(docId);

    public IReadOnlyList<byte[]> RecordsBeyond(string docId, RecordVector remote) => _hub.RecordsBeyond(docId, remote);

    /// <exception cref="RecordFormatException">A record is malformed (the peer broke the protocol).</exception>
    public RecordIntake ApplyRemoteRecords(string docId, IReadOnlyList<byte[]> records, DeviceId from) =>
        Intake(_hub, _spaces, docId, records, from, new PeerOrigin(from));

    public void AdoptDocument(SyncDocument announced, DeviceId from) =>
        _hub.Accept(
            new DocumentRecord(announced.Id, announced.Name, announced.CreatedMs, announced.NameStamp.ChangedMs, announced.NameStamp.ChangedBy ?? "", announced.Space),
            new PeerOrigin(from));

    public void RenameDocument(string docId, string name, NameStamp stamp)
    {
        if (_hub.Get(docId) is { } known)
        {
            // The session already picked this stamp as the winner; the store checks it again with
            // the same rule (NameVersion), so it agrees and records the renaming device as well.
            _hub.Accept(known with { Name = name, NameChangedMs = stamp.ChangedMs, NameChangedBy = stamp.ChangedBy ?? "" }, this);
        }
    }

    /// <summary>The record as the sync protocol announces it, with the stored name stamp (time and renaming device) and space.</summary>
    public static SyncDocument ToSync(DocumentRecord record) =>
        new(record.Id, record.Name, record.CreatedMs, new NameStamp(record.NameChangedMs, record.NameChangedBy), record.Space);

    /// <summary>
    /// Decodes and checks records from <paramref name="from"/> (a peer or a handoff) and hands the
    /// acceptable ones to the hub. Refused records (forged, another space, an author who may not
    /// write) are reported, never applied or stored.
    /// </summary>
    /// <exception cref="RecordFormatException">A record is malformed; nothing was applied.</exception>
    public static RecordIntake Intake(DocumentHub hub, NodeSpaces spaces, string docId, IReadOnlyList<byte[]> records, DeviceId from, object source)
    {
        var document = hub.Get(docId) ?? throw new UnknownDocumentException(docId);
        var decoded = new List<SignedRecord>(records.Count);
        foreach (var bytes in records)
        {
            decoded.Add(SignedRecordCodec.Decode(bytes));
        }

        var log = spaces.LogOf(document.Space);
        var acceptable = new List<SignedRecord>(decoded.Count);
        var refusals = new List<string>();
        foreach (var record in decoded)
        {
            // A copy of a record already held (relayed again by another peer) costs no signature check.
            if (hub.Holds(docId, record))
            {
                continue;
            }

            if (RecordGate.Check(record, docId, document.Space, log) is { } refusal)
            {
                refusals.Add(RecordGate.Describe(record, refusal, from));
                continue;
            }

            acceptable.Add(record);
        }

        var intake = hub.ApplyRecords(docId, acceptable, source);
        return refusals.Count == 0 ? intake : new RecordIntake(intake.Accepted, [.. refusals, .. intake.Refusals]);
    }
}
