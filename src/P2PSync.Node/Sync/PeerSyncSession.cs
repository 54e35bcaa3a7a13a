using Google.Protobuf;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Sync;

/// <summary>
/// The sync protocol for one connection to one peer, as a pure state machine: it reads no
/// socket and no clock, it is fed events and returns the envelopes to send. The same code runs
/// over the Noise channel (the host) and over the in-memory network (simulation tests).
/// </summary>
/// <remarks>
/// Protocol 2 (docs/protocol/spaces-sync.md): on connect each side sends Hello, then a
/// SpaceState for every space the peer is a member of, then for every document in those spaces
/// a DocAnnounce and a RecordVector. A RecordVector is answered with the records beyond it
/// (Records, catch_up = true); Records are checked and applied by the source. After that, records
/// written or accepted locally travel live (catch_up = false). The peer sees nothing of a space it
/// is not a current member of, and what it announces in a space we do not share with it is
/// ignored. Not thread-safe: the host calls one method at a time.
/// Error policy: <see cref="OnEnvelope"/> throws <see cref="SyncProtocolException"/> for
/// anything a well-behaved peer cannot send; the host then closes this connection. Records that
/// fail the gate are refusals (listed in <see cref="SessionOutput.Refusals"/>), not errors.
/// </remarks>
internal sealed class PeerSyncSession
{
    /// <summary>Most bytes of records packed into one Records message (one record may exceed it alone).</summary>
    public const int MaxRecordsMessageBytes = 8 * 1024 * 1024;

    private readonly ISyncDocumentSource _source;
    private readonly ISpaceSource _spaces;
    private readonly string _localDeviceName;

    // Documents the peer knows we have (we announced them, or it announced them to us).
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);

    // Documents we sent our RecordVector for on this connection.
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);

    // Documents for which we hold everything the peer had when it sent its vector (or its catch-up arrived).
    private readonly HashSet<string> _synced = new(StringComparer.Ordinal);

    // The peer's vector per document, kept until our records cover it.
    private readonly Dictionary<string, RecordVector> _peerVectors = new(StringComparer.Ordinal);

    // Documents the peer announced in a space it does not share with us: their later frames are
    // ignored too. The announcement is kept so that it is taken up if the space becomes shared
    // on this connection (the peer does not announce a document twice).
    private readonly Dictionary<string, DocAnnounce> _ignored = new(StringComparer.Ordinal);

    // Spaces the peer was told about on this connection (SpaceState sent, documents introduced).
    private readonly HashSet<SpaceId> _introducedSpaces = [];

    // Documents the peer announced to us, and how many its opening promised (Hello.opening_documents).
    private readonly HashSet<string> _heardOf = new(StringComparer.Ordinal);
    private uint _openingDocuments;

    private bool _connected;

    public PeerSyncSession(ISyncDocumentSource source, ISpaceSource spaces, DeviceId remoteDevice, string localDeviceName)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _spaces = spaces ?? throw new ArgumentNullException(nameof(spaces));
        RemoteDevice = remoteDevice;
        _localDeviceName = localDeviceName ?? "";
    }

    /// <summary>The authenticated device at the other end.</summary>
    public DeviceId RemoteDevice { get; }

    /// <summary>The peer's device name from its Hello, or null before it arrived.</summary>
    public string? RemoteDeviceName { get; private set; }

    /// <summary>The protocol version from the peer's Hello (0 before it arrived).</summary>
    public uint RemoteProtocolVersion { get; private set; }

    /// <summary>True once we hold every record of <paramref name="docId"/> the peer had when it sent its vector.</summary>
    public bool IsSynced(string docId) => _synced.Contains(docId);

    /// <summary>
    /// True once the peer's whole opening arrived (Hello and every document it announced) and
    /// every document we asked about is synced: from then on we hold everything the peer had when
    /// it connected (except records we refused). A document created later joins in once synced.
    /// </summary>
    public bool IsCaughtUp =>
        RemoteDeviceName is not null && _heardOf.Count >= _openingDocuments && _requested.IsSubsetOf(_synced);

    /// <summary>
    /// The opening: Hello, a SpaceState per space the peer is a member of, then DocAnnounce +
    /// RecordVector for every document in those spaces.
    /// </summary>
    public IReadOnlyList<Envelope> OnConnected()
    {
        if (_connected)
        {
            throw new InvalidOperationException("OnConnected was already called for this session");
        }

        _connected = true;
        var shared = _spaces.SharedWith(RemoteDevice);
        var visible = new HashSet<SpaceId>(shared);
        var documents = new List<SyncDocument>();
        foreach (var doc in _source.ListDocuments())
        {
            if (visible.Contains(doc.Space))
            {
                documents.Add(doc);
            }
        }

        var output = new List<Envelope>
        {
            new()
            {
                Hello = new Hello
                {
                    DeviceName = _localDeviceName,
                    ProtocolVersion = SyncProtocolVersion.Current,
                    OpeningDocuments = (uint)documents.Count,
                },
            },
        };
        foreach (var space in shared)
        {
            _introducedSpaces.Add(space);
            output.Add(new Envelope { Space = _spaces.DescribeFor(space, RemoteDevice) });
        }

        foreach (var doc in documents)
        {
            Introduce(doc, output);
        }

        return output;
    }

    /// <summary>
    /// Records written or accepted locally (already durable), to send live when the peer can see
    /// the document's space (preceded by the document's announcement if the peer does not know it yet).
    /// </summary>
    public IReadOnlyList<Envelope> OnLocalRecords(string docId, IReadOnlyList<byte[]> records)
    {
        ArgumentNullException.ThrowIfNull(docId);
        ArgumentNullException.ThrowIfNull(records);
        if (!_connected || records.Count == 0)
        {
            return [];
        }

        var doc = _source.FindDocument(docId)
            ?? throw new InvalidOperationException($"local records for unknown document {docId}");
        if (!PeerCanSee(doc.Space))
        {
            return [];
        }

        var output = new List<Envelope>();
        if (!_announced.Contains(docId))
        {
            Introduce(doc, output);
        }

        AddRecords(docId, records, catchUp: false, output);
        return output;
    }

    /// <summary>A document was created or renamed locally (or adopted/renamed from another peer): announce it if the peer can see it.</summary>
    public IReadOnlyList<Envelope> OnDocumentChanged(SyncDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        if (!_connected || !PeerCanSee(doc.Space))
        {
            return [];
        }

        var output = new List<Envelope>();
        if (_announced.Contains(doc.Id))
        {
            output.Add(Announce(doc));
        }
        else
        {
            Introduce(doc, output);
        }

        return output;
    }

    /// <summary>
    /// A space's log or keys changed (locally or through another peer). A current member gets the
    /// new SpaceState, and if it just became one (or was never told), the space's documents. A
    /// device that is no longer a member gets nothing more of the space.
    /// </summary>
    public IReadOnlyList<Envelope> OnSpaceChanged(SpaceId space)
    {
        if (!_connected)
        {
            return [];
        }

        if (!PeerCanSee(space))
        {
            if (_introducedSpaces.Remove(space))
            {
                ForgetDocumentsOf(space);
            }

            return [];
        }

        var output = new List<Envelope> { new() { Space = _spaces.DescribeFor(space, RemoteDevice) } };
        if (_introducedSpaces.Add(space))
        {
            foreach (var doc in _source.ListDocuments())
            {
                if (doc.Space == space && !_announced.Contains(doc.Id))
                {
                    Introduce(doc, output);
                }
            }
        }

        return output;
    }

    /// <summary>Handles one envelope from the peer.</summary>
    /// <exception cref="SyncProtocolException">The peer broke the protocol; close the connection.</exception>
    public SessionOutput OnEnvelope(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!_connected)
        {
            throw new InvalidOperationException("OnConnected must be called before OnEnvelope");
        }

        try
        {
            EnvelopeValidator.Validate(envelope);
        }
        catch (WireFormatException ex)
        {
            throw new SyncProtocolException($"malformed envelope from {RemoteDevice.ToShortString()}: {ex.Message}", ex);
        }

        if (RemoteDeviceName is null && envelope.BodyCase != Envelope.BodyOneofCase.Hello)
        {
            throw new SyncProtocolException($"{RemoteDevice.ToShortString()} sent {envelope.BodyCase} before Hello");
        }

        var output = new SessionOutputBuilder();
        switch (envelope.BodyCase)
        {
            case Envelope.BodyOneofCase.Hello:
                OnHello(envelope.Hello);
                break;
            case Envelope.BodyOneofCase.Space:
                OnSpaceState(envelope.Space, output);
                break;
            case Envelope.BodyOneofCase.Doc:
                OnAnnounce(envelope.Doc, output);
                break;
            case Envelope.BodyOneofCase.RecordVector:
                OnRecordVector(envelope.RecordVector, output);
                break;
            case Envelope.BodyOneofCase.Records:
                OnRecords(envelope.Records, output);
                break;
            case Envelope.BodyOneofCase.Sync:
                throw new SyncProtocolException(
                    $"{RemoteDevice.ToShortString()} sent a protocol-1 sync frame for {envelope.Sync.DocId}; protocol 2 carries content only as signed records");
            case Envelope.BodyOneofCase.JoinRequest:
            case Envelope.BodyOneofCase.JoinResult:
                throw new SyncProtocolException(
                    $"{RemoteDevice.ToShortString()} sent {envelope.BodyCase} on a sync connection; joins have their own connection");
            case Envelope.BodyOneofCase.Ping:
                output.Replies.Add(new Envelope { Pong = new Pong { Nonce = envelope.Ping.Nonce } });
                break;
            default:
                // Pong needs no answer; presence and handoff are the host's; a body this version
                // does not know (a newer peer's optional message) is skipped so that protocol
                // growth does not break old nodes.
                break;
        }

        return output.Build();
    }

    private void OnHello(Hello hello)
    {
        if (RemoteDeviceName is not null)
        {
            throw new SyncProtocolException($"{RemoteDevice.ToShortString()} sent a second Hello");
        }

        if (hello.ProtocolVersion < SyncProtocolVersion.Current)
        {
            throw new SyncProtocolException(
                $"{RemoteDevice.ToShortString()} speaks sync protocol version {hello.ProtocolVersion}, which syncs unsigned content; this node needs {SyncProtocolVersion.Current} or newer (update P2PSync on that device)");
        }

        RemoteProtocolVersion = hello.ProtocolVersion;
        RemoteDeviceName = hello.DeviceName;
        _openingDocuments = hello.OpeningDocuments;
    }

    private void OnSpaceState(SpaceState state, SessionOutputBuilder output)
    {
        var space = SpaceId.FromBytes(state.SpaceId.Span);
        var outcome = _spaces.ApplyState(state, RemoteDevice);
        if (outcome.Kind == SpaceStateOutcomeKind.Refused)
        {
            output.Refusals.Add($"Refused the state of space {space} from {RemoteDevice.ToShortString()}: {outcome.Reason}");
        }

        foreach (var note in outcome.Notes)
        {
            output.Refusals.Add($"Space {space} from {RemoteDevice.ToShortString()}: {note}");
        }

        if (outcome.HasChanges)
        {
            output.ChangedSpaces.Add(space);
            if (PeerCanSee(space))
            {
                TakeUpIgnored(space, output);
            }
        }
    }

    private void OnAnnounce(DocAnnounce announce, SessionOutputBuilder output)
    {
        var space = SpaceId.FromBytes(announce.SpaceId.Span);
        var announced = new SyncDocument(
            announce.DocId,
            announce.Name,
            announce.CreatedMs,
            new NameStamp(announce.NameChangedMs, announce.NameChangedBy),
            space);
        _heardOf.Add(announced.Id);
        var local = _source.FindDocument(announced.Id);
        if (!PeerCanSee(space))
        {
            Ignore(announce, output, "a space it does not share with us");
            return;
        }

        if (local is not null && local.Space != space)
        {
            // Ids are random, so this is a forgery or a bug: never move a document between spaces.
            Ignore(announce, output, $"space {space}, but ours is in space {local.Space}");
            return;
        }

        _ignored.Remove(announced.Id);
        _announced.Add(announced.Id);
        if (local is null)
        {
            _source.AdoptDocument(announced, RemoteDevice);
            output.Changed.Add(_source.FindDocument(announced.Id) ?? announced);
        }
        else if (NameWins(announced, local))
        {
            _source.RenameDocument(local.Id, announced.Name, announced.NameStamp);
            output.Changed.Add(_source.FindDocument(local.Id) ?? local with { Name = announced.Name, NameStamp = announced.NameStamp });
        }

        // A document we did not have (or had but never asked about on this connection): ask for
        // what we lack. The peer sends its own RecordVector too, which we answer in OnRecordVector.
        if (_requested.Add(announced.Id))
        {
            output.Replies.Add(VectorOf(announced.Id));
        }

        // Its vector may have come while the announcement was ignored (see TakeUpIgnored).
        CheckSynced(announced.Id);
    }

    private void OnRecordVector(Protocol.Wire.RecordVector proto, SessionOutputBuilder output)
    {
        var remote = RecordVector.FromProto(proto);
        if (_ignored.ContainsKey(proto.DocId))
        {
            // Kept in case the announcement is taken up later: it tells when we are synced.
            _peerVectors[proto.DocId] = remote;
            return;
        }

        var doc = DocumentForFrame(proto.DocId, "record vector", output);
        if (doc is null)
        {
            return;
        }

        AddRecords(doc.Id, _source.RecordsBeyond(doc.Id, remote), catchUp: true, output.Replies);

        // An empty answer cannot travel (Records holds at least one record), so "synced" is also
        // reached when our own records already cover everything the peer holds.
        _peerVectors[doc.Id] = remote;
        CheckSynced(doc.Id);
    }

    private void OnRecords(Records records, SessionOutputBuilder output)
    {
        var doc = DocumentForFrame(records.DocId, "records", output);
        if (doc is null)
        {
            return;
        }

        var bytes = new byte[records.Records_.Count][];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = records.Records_[i].ToByteArray();
        }

        RecordIntake intake;
        try
        {
            intake = _source.ApplyRemoteRecords(doc.Id, bytes, RemoteDevice);
        }
        catch (RecordFormatException ex)
        {
            throw new SyncProtocolException(
                $"{RemoteDevice.ToShortString()} sent a malformed signed record for document {doc.Id}: {ex.Message}", ex);
        }

        if (intake.Accepted.Count > 0)
        {
            output.Applied.Add(new AppliedRecords(doc.Id, intake.Accepted));
        }

        output.Refusals.AddRange(intake.Refusals);
        if (records.CatchUp)
        {
            _synced.Add(doc.Id);
            _peerVectors.Remove(doc.Id);
        }
        else
        {
            CheckSynced(doc.Id);
        }
    }

    // The local document a RecordVector or Records frame is about, or null when the frame is to
    // be ignored (its announcement was ignored, or the peer no longer sees the space).
    private SyncDocument? DocumentForFrame(string docId, string what, SessionOutputBuilder output)
    {
        if (_ignored.ContainsKey(docId))
        {
            return null;
        }

        var doc = _source.FindDocument(docId)
            ?? throw new SyncProtocolException($"{RemoteDevice.ToShortString()} sent {what} for document {docId}, which it never announced");
        if (!PeerCanSee(doc.Space))
        {
            // Not a violation: the peer may not have heard of its removal yet.
            output.Refusals.Add($"Ignored {what} for {docId} from {RemoteDevice.ToShortString()}: it is not a member of space {doc.Space}");
            return null;
        }

        return doc;
    }

    private void CheckSynced(string docId)
    {
        if (_peerVectors.TryGetValue(docId, out var remote) && _source.RecordVector(docId).CoversAll(remote))
        {
            _synced.Add(docId);
            _peerVectors.Remove(docId);
        }
    }

    private void Ignore(DocAnnounce announce, SessionOutputBuilder output, string why)
    {
        _ignored[announce.DocId] = announce;
        output.Refusals.Add($"Ignored the announcement of document {announce.DocId} from {RemoteDevice.ToShortString()}: it names {why}");
    }

    // The space just became shared with the peer (we adopted it, or learnt that the peer is a
    // member): the announcements we ignored for it are handled now, as if they had just arrived.
    private void TakeUpIgnored(SpaceId space, SessionOutputBuilder output)
    {
        List<DocAnnounce>? again = null;
        foreach (var announce in _ignored.Values)
        {
            if (announce.SpaceId.Span.SequenceEqual(space.Bytes))
            {
                (again ??= []).Add(announce);
            }
        }

        if (again is null)
        {
            return;
        }

        foreach (var announce in again)
        {
            _ignored.Remove(announce.DocId);
            OnAnnounce(announce, output);
        }
    }

    // The peer left the space: it must be introduced afresh if it is ever added again, and its
    // unfinished catch-up there no longer holds IsCaughtUp back.
    private void ForgetDocumentsOf(SpaceId space)
    {
        foreach (var doc in _source.ListDocuments())
        {
            if (doc.Space == space)
            {
                _announced.Remove(doc.Id);
                _requested.Remove(doc.Id);
                _synced.Remove(doc.Id);
                _peerVectors.Remove(doc.Id);
            }
        }
    }

    private bool PeerCanSee(SpaceId space) => !space.IsEmpty && _spaces.IsMember(space, RemoteDevice);

    // Last writer wins on the stamp; a full tie (same time, same or unknown device) goes to the
    // ordinally larger name. NameVersion is the store's comparison too, so the session and the
    // store always agree and every replica picks the same name whatever the arrival order.
    private static bool NameWins(SyncDocument announced, SyncDocument local) =>
        announced.NameStamp.Of(announced.Name).WinsOver(local.NameStamp.Of(local.Name));

    // Announce a document the peer does not know yet and ask for what we lack of it.
    private void Introduce(SyncDocument doc, List<Envelope> output)
    {
        _announced.Add(doc.Id);
        output.Add(Announce(doc));
        if (_requested.Add(doc.Id))
        {
            output.Add(VectorOf(doc.Id));
        }
    }

    private Envelope VectorOf(string docId) => new() { RecordVector = _source.RecordVector(docId).ToProto(docId) };

    // Packs records into Records messages of at most 10,000 records and about 8 MiB each. Only the
    // last message of a catch-up says catch_up: the peer is synced once all of it arrived.
    private static void AddRecords(string docId, IReadOnlyList<byte[]> records, bool catchUp, List<Envelope> output)
    {
        Records? current = null;
        long bytes = 0;
        foreach (var record in records)
        {
            if (current is null
                || current.Records_.Count == EnvelopeValidator.MaxRecordsPerMessage
                || (bytes + record.Length > MaxRecordsMessageBytes && current.Records_.Count > 0))
            {
                current = new Records { DocId = docId };
                output.Add(new Envelope { Records = current });
                bytes = 0;
            }

            // Records are immutable once encoded (SignedRecord.Encoded), so they are wrapped, not copied.
            current.Records_.Add(UnsafeByteOperations.UnsafeWrap(record));
            bytes += record.Length;
        }

        if (current is not null)
        {
            current.CatchUp = catchUp;
        }
    }

    private static Envelope Announce(SyncDocument doc) => new()
    {
        Doc = new DocAnnounce
        {
            DocId = doc.Id,
            Name = doc.Name,
            CreatedMs = doc.CreatedMs,
            NameChangedMs = doc.NameStamp.ChangedMs,
            NameChangedBy = doc.NameStamp.ChangedBy ?? "",
            SpaceId = ByteString.CopyFrom(doc.Space.Bytes),
        },
    };
}
