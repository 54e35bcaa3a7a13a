using Google.Protobuf;
using P2PSync.Crdt;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Handoff;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The handoff engine's view of the node's documents: the live <see cref="DocumentHub"/>. Between
/// nodes, content moves only as signed records, so the engine's opaque "state vector" is this
/// node's <c>RecordVector</c> (protobuf) and its "update" is a <c>Records</c> message holding what
/// the requester lacks; every record is checked like one from sync before it is applied.
/// </summary>
internal sealed class HubHandoffDocuments : IHandoffDocuments
{
    private readonly DocumentHub _hub;
    private readonly NodeSpaces _spaces;
    private readonly ILogger _logger;

    public HubHandoffDocuments(DocumentHub hub, NodeSpaces spaces, ILogger logger)
    {
        _hub = hub;
        _spaces = spaces;
        _logger = logger;
    }

    public byte[]? StateVector(string docId) =>
        _hub.Get(docId) is null ? null : _hub.RecordVectorOf(docId).ToProto(docId).ToByteArray();

    /// <remarks>
    /// An empty vector (a device that lacks the document) is sent every record; a device that
    /// lacks nothing gets zero bytes (not an empty message), so a retry costs nothing for documents
    /// that already arrived.
    /// </remarks>
    /// <exception cref="UpdateFormatException">The vector is malformed.</exception>
    public byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> stateVector)
    {
        var vector = Sync.RecordVector.Empty;
        if (!stateVector.IsEmpty)
        {
            try
            {
                var proto = Protocol.Wire.RecordVector.Parser.ParseFrom(stateVector.Span);
                Protocol.Wire.EnvelopeValidator.Validate(new Envelope { RecordVector = proto });
                vector = Sync.RecordVector.FromProto(proto);
            }
            catch (Exception ex) when (ex is InvalidProtocolBufferException or WireFormatException)
            {
                throw new UpdateFormatException($"malformed record vector in a handoff request: {ex.Message}", ex);
            }
        }

        var beyond = _hub.RecordsBeyond(docId, vector);
        if (beyond.Count == 0)
        {
            return [];
        }

        var records = new Records { DocId = docId };
        foreach (var record in beyond)
        {
            records.Records_.Add(ByteString.CopyFrom(record));
        }

        return records.ToByteArray();
    }

    public DocAnnounce? Record(string docId) => _hub.Get(docId) is { } record ? DocumentAnnouncements.ToAnnounce(record) : null;

    /// <exception cref="Storage.InvalidStoreInputException">The id or name breaks the store's rules; nothing was created.</exception>
    public void Adopt(DocAnnounce record, DeviceId from) =>
        _hub.Accept(DocumentAnnouncements.ToRecord(record), new HandoffOrigin(from));

    /// <remarks>
    /// Every record is decoded and checked before any is applied, and all of them are applied in
    /// one hub batch: a broken transfer leaves the document as it was. Refused records (an author
    /// who may not write) are logged and skipped, as in sync.
    /// </remarks>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="UpdateFormatException">The bytes are not valid records; nothing changed.</exception>
    public void Apply(string docId, byte[] update, DeviceId from)
    {
        if (update.Length == 0)
        {
            // Nothing was missing (see EncodeDiff).
            return;
        }

        Records records;
        try
        {
            records = Records.Parser.ParseFrom(update);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new UpdateFormatException($"a handoff's records of {docId} are malformed: {ex.Message}", ex);
        }

        if (records.DocId != docId)
        {
            throw new UpdateFormatException($"a handoff's records for {docId} name document {records.DocId}");
        }

        try
        {
            var intake = _hub.Batch(() => HubSyncSource.Intake(_hub, _spaces, docId, [.. records.Records_.Select(r => r.ToByteArray())], from, new HandoffOrigin(from)));
            foreach (var refusal in intake.Refusals)
            {
                _logger.LogWarning("handoff from {Device}: {Refusal}", from.ToShortString(), refusal);
            }
        }
        catch (RecordFormatException ex)
        {
            throw new UpdateFormatException($"a handoff's record of {docId} is malformed: {ex.Message}", ex);
        }
    }

    public int? ResolveIndex(string docId, byte[] relativePosition) =>
        _hub.Get(docId) is null ? null : _hub.Read(docId, doc => ActivityPositions.ToIndex(doc, relativePosition));
}
