using Google.Protobuf;
using P2PSync.Crdt;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Sync;

/// <summary>
/// The sync protocol for one connection to one peer, as a pure state machine: it reads no
/// socket and no clock, it is fed events and returns the envelopes to send. The same code runs
/// over TCP (the host) and over the in-memory network (simulation tests).
/// </summary>
/// <remarks>
/// Protocol (docs/protocol/node-sync.md): on connect each side sends Hello, then for every
/// document a DocAnnounce and a SyncStep1 (its state vector). SyncStep1 is answered with
/// SyncStep2 (what the asker lacks); SyncStep2 and Update are applied. After that local changes
/// travel as Update. Because the first exchange is state-vector based, a reconnect sends only
/// what the other side lacks. Not thread-safe: the host calls one method at a time.
/// Error policy: <see cref="OnEnvelope"/> throws <see cref="SyncProtocolException"/> for
/// anything a well-behaved peer cannot send; the host then closes this connection.
/// </remarks>
internal sealed class PeerSyncSession
{
    private readonly ISyncDocumentSource _source;
    private readonly string _localDeviceName;

    // Documents the peer knows we have (we announced them, or it announced them to us).
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);

    // Documents we sent our SyncStep1 for on this connection.
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);

    // Documents for which the peer's SyncStep2 arrived: we hold everything it had at that point.
    private readonly HashSet<string> _synced = new(StringComparer.Ordinal);

    // Documents the peer announced to us, and how many its opening promised (Hello.opening_documents).
    private readonly HashSet<string> _heardOf = new(StringComparer.Ordinal);
    private uint _openingDocuments;

    private bool _connected;

    public PeerSyncSession(ISyncDocumentSource source, DeviceId remoteDevice, string localDeviceName)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        RemoteDevice = remoteDevice;
        _localDeviceName = localDeviceName ?? "";
    }

    /// <summary>The authenticated device at the other end.</summary>
    public DeviceId RemoteDevice { get; }

    /// <summary>The peer's device name from its Hello, or null before it arrived.</summary>
    public string? RemoteDeviceName { get; private set; }

    /// <summary>The protocol version from the peer's Hello (0 before it arrived).</summary>
    public uint RemoteProtocolVersion { get; private set; }

    /// <summary>True once the peer's SyncStep2 for <paramref name="docId"/> arrived on this connection.</summary>
    public bool IsSynced(string docId) => _synced.Contains(docId);

    /// <summary>
    /// True once the peer's whole opening arrived (Hello and every document it announced) and
    /// every document we asked about has its SyncStep2: from then on we hold everything the peer
    /// had when it connected. (A document created later becomes part of it once it is synced too.)
    /// </summary>
    public bool IsCaughtUp =>
        RemoteDeviceName is not null && _heardOf.Count >= _openingDocuments && _requested.IsSubsetOf(_synced);

    /// <summary>The opening messages: Hello, then DocAnnounce + SyncStep1 for every document.</summary>
    public IReadOnlyList<Envelope> OnConnected()
    {
        if (_connected)
        {
            throw new InvalidOperationException("OnConnected was already called for this session");
        }

        _connected = true;
        var documents = _source.ListDocuments();
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
        foreach (var doc in documents)
        {
            Introduce(doc, output);
        }

        return output;
    }

    /// <summary>A local change to a document, to be sent live (preceded by the document's announcement if the peer does not know it yet).</summary>
    public IReadOnlyList<Envelope> OnLocalUpdate(string docId, byte[] update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_connected)
        {
            return [];
        }

        var output = new List<Envelope>();
        if (!_announced.Contains(docId))
        {
            var doc = _source.FindDocument(docId)
                ?? throw new InvalidOperationException($"local update for unknown document {docId}");
            Introduce(doc, output);
        }

        output.Add(Sync(docId, SyncMessage.Update(update)));
        return output;
    }

    /// <summary>A document was created or renamed locally (or adopted/renamed from another peer): announce it.</summary>
    public IReadOnlyList<Envelope> OnDocumentChanged(SyncDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        if (!_connected)
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

        var replies = new List<Envelope>();
        var applied = new List<AppliedUpdate>();
        var changed = new List<SyncDocument>();
        switch (envelope.BodyCase)
        {
            case Envelope.BodyOneofCase.Hello:
                OnHello(envelope.Hello);
                break;
            case Envelope.BodyOneofCase.Doc:
                OnAnnounce(envelope.Doc, replies, changed);
                break;
            case Envelope.BodyOneofCase.Sync:
                OnSync(envelope.Sync, replies, applied);
                break;
            case Envelope.BodyOneofCase.Ping:
                replies.Add(new Envelope { Pong = new Pong { Nonce = envelope.Ping.Nonce } });
                break;
            default:
                // Pong needs no answer; a body this version does not know (a newer peer's
                // optional message) is skipped so that protocol growth does not break old nodes.
                break;
        }

        return new SessionOutput(replies, applied, changed);
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
                $"{RemoteDevice.ToShortString()} speaks sync protocol version {hello.ProtocolVersion}; this node needs {SyncProtocolVersion.Current} or newer");
        }

        RemoteProtocolVersion = hello.ProtocolVersion;
        RemoteDeviceName = hello.DeviceName;
        _openingDocuments = hello.OpeningDocuments;
    }

    private void OnAnnounce(DocAnnounce announce, List<Envelope> replies, List<SyncDocument> changed)
    {
        var announced = new SyncDocument(
            announce.DocId,
            announce.Name,
            announce.CreatedMs,
            new NameStamp(announce.NameChangedMs, announce.NameChangedBy));
        _announced.Add(announced.Id);
        _heardOf.Add(announced.Id);
        var local = _source.FindDocument(announced.Id);
        if (local is null)
        {
            _source.AdoptDocument(announced, RemoteDevice);
            changed.Add(_source.FindDocument(announced.Id) ?? announced);
        }
        else if (NameWins(announced, local))
        {
            _source.RenameDocument(local.Id, announced.Name, announced.NameStamp);
            changed.Add(_source.FindDocument(local.Id) ?? local with { Name = announced.Name, NameStamp = announced.NameStamp });
        }

        // A document we did not have (or had but never asked about on this connection): ask
        // for its content. The peer sends its own SyncStep1 too, which we answer in OnSync.
        if (_requested.Add(announced.Id))
        {
            replies.Add(Sync(announced.Id, SyncMessage.Step1(_source.EncodeStateVector(announced.Id))));
        }
    }

    private void OnSync(SyncFrame frame, List<Envelope> replies, List<AppliedUpdate> applied)
    {
        if (_source.FindDocument(frame.DocId) is null)
        {
            throw new SyncProtocolException($"{RemoteDevice.ToShortString()} sent a sync frame for document {frame.DocId}, which it never announced");
        }

        var message = SyncMessage.Decode(frame.Payload.Span);
        try
        {
            switch (message.Type)
            {
                case SyncMessageType.SyncStep1:
                    replies.Add(Sync(frame.DocId, SyncMessage.Step2(_source.EncodeDiff(frame.DocId, message.Payload))));
                    break;
                case SyncMessageType.SyncStep2:
                case SyncMessageType.Update:
                    var change = _source.ApplyRemoteUpdate(frame.DocId, message.Payload, RemoteDevice);
                    if (change is not null)
                    {
                        applied.Add(new AppliedUpdate(frame.DocId, change));
                    }

                    if (message.Type == SyncMessageType.SyncStep2)
                    {
                        _synced.Add(frame.DocId);
                    }

                    break;
            }
        }
        catch (UpdateFormatException ex)
        {
            throw new SyncProtocolException(
                $"{RemoteDevice.ToShortString()} sent a malformed {message.Type} for document {frame.DocId}: {ex.Message}", ex);
        }
    }

    // Last writer wins on the stamp; a full tie (same time, same or unknown device) goes to the
    // ordinally larger name. NameVersion is the store's comparison too, so the session and the
    // store always agree and every replica picks the same name whatever the arrival order.
    private static bool NameWins(SyncDocument announced, SyncDocument local) =>
        announced.NameStamp.Of(announced.Name).WinsOver(local.NameStamp.Of(local.Name));

    // Announce a document the peer does not know yet and ask for its content.
    private void Introduce(SyncDocument doc, List<Envelope> output)
    {
        _announced.Add(doc.Id);
        output.Add(Announce(doc));
        if (_requested.Add(doc.Id))
        {
            output.Add(Sync(doc.Id, SyncMessage.Step1(_source.EncodeStateVector(doc.Id))));
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
        },
    };

    private static Envelope Sync(string docId, SyncMessage message) => new()
    {
        Sync = new SyncFrame { DocId = docId, Payload = ByteString.CopyFrom(message.Encode()) },
    };
}
