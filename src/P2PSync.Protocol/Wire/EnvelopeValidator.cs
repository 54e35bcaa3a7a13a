using System.Globalization;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Protocol.Wire;

/// <summary>
/// The rules an envelope's fields must meet beyond protobuf's. Document ids and names follow the
/// store's rules (P2PSync.Node.Storage.DocumentIds / DocumentNames): a peer must not be able to
/// plant an id or name the local CLI could never have created.
/// </summary>
public static partial class EnvelopeValidator
{
    /// <summary>Longest document id (matches the store).</summary>
    public const int MaxDocIdLength = 128;

    /// <summary>Longest document name in UTF-16 code units (matches the store).</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest device name in a Hello.</summary>
    public const int MaxDeviceNameLength = 200;

    /// <summary>Longest handoff id (the same rules as a document id).</summary>
    public const int MaxHandoffIdLength = 128;

    /// <summary>Largest HandoffBegin.activity_json: 1 MiB of app state plus 64 KiB for the rest.</summary>
    public const int MaxActivityJsonBytes = (1024 * 1024) + (64 * 1024);

    /// <summary>Largest HandoffChunk.data.</summary>
    public const int MaxChunkBytes = 1024 * 1024;

    /// <summary>Largest update one document of a handoff may announce (HandoffDocument.update_bytes).</summary>
    public const ulong MaxUpdateBytes = 256UL * 1024 * 1024;

    /// <summary>Longest reason in a HandoffDecline or HandoffResult, in UTF-16 code units.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Most documents in a Presence or HandoffBegin, and state vectors in a HandoffRequest.</summary>
    public const int MaxHandoffDocuments = 64;

    /// <summary>Largest y-protocols awareness update in an AwarenessFrame.</summary>
    public const int MaxAwarenessBytes = 1024 * 1024;

    /// <exception cref="WireFormatException">A field breaks the rules.</exception>
    public static void Validate(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        switch (envelope.BodyCase)
        {
            case Envelope.BodyOneofCase.Hello:
                if (envelope.Hello.DeviceName.Length > MaxDeviceNameLength)
                {
                    throw new WireFormatException($"device name is {envelope.Hello.DeviceName.Length} characters; at most {MaxDeviceNameLength} are allowed");
                }

                break;
            case Envelope.BodyOneofCase.Doc:
                ValidateAnnounce(envelope.Doc);
                ValidateAnnouncedSpace(envelope.Doc);
                break;
            case Envelope.BodyOneofCase.Sync:
                ValidateDocId(envelope.Sync.DocId);
                try
                {
                    SyncMessage.Decode(envelope.Sync.Payload.Span);
                }
                catch (YProtocolFormatException ex)
                {
                    throw new WireFormatException($"sync frame for {envelope.Sync.DocId}: {ex.Message}", ex);
                }

                break;
            case Envelope.BodyOneofCase.Presence:
                ValidatePresence(envelope.Presence);
                break;
            case Envelope.BodyOneofCase.Awareness:
                ValidateAwareness(envelope.Awareness);
                break;
            case Envelope.BodyOneofCase.HandoffOffer:
                ValidateHandoffId(envelope.HandoffOffer.HandoffId);
                if (envelope.HandoffOffer.Activity is null)
                {
                    throw new WireFormatException($"handoff offer {envelope.HandoffOffer.HandoffId} has no activity");
                }

                ValidatePresence(envelope.HandoffOffer.Activity);
                if (envelope.HandoffOffer.ExpiresMs < 0)
                {
                    throw new WireFormatException($"handoff offer {envelope.HandoffOffer.HandoffId} expires at a negative time");
                }

                break;
            case Envelope.BodyOneofCase.HandoffRequest:
                ValidateRequest(envelope.HandoffRequest);
                break;
            case Envelope.BodyOneofCase.HandoffDecline:
                ValidateHandoffId(envelope.HandoffDecline.HandoffId);
                ValidateReason(envelope.HandoffDecline.Reason);
                break;
            case Envelope.BodyOneofCase.HandoffBegin:
                ValidateBegin(envelope.HandoffBegin);
                break;
            case Envelope.BodyOneofCase.HandoffChunk:
                ValidateChunk(envelope.HandoffChunk);
                break;
            case Envelope.BodyOneofCase.HandoffResult:
                ValidateHandoffId(envelope.HandoffResult.HandoffId);
                ValidateReason(envelope.HandoffResult.Reason);
                break;
            case Envelope.BodyOneofCase.Space:
                ValidateSpaceState(envelope.Space);
                break;
            case Envelope.BodyOneofCase.RecordVector:
                ValidateRecordVector(envelope.RecordVector);
                break;
            case Envelope.BodyOneofCase.Records:
                ValidateRecords(envelope.Records);
                break;
            case Envelope.BodyOneofCase.JoinRequest:
                ValidateJoinRequest(envelope.JoinRequest);
                break;
            case Envelope.BodyOneofCase.JoinResult:
                ValidateJoinResult(envelope.JoinResult);
                break;
        }
    }

    /// <summary>A handoff id follows the document id rules: 1 to 128 unreserved ASCII characters, not "." or "..".</summary>
    public static void ValidateHandoffId(string id)
    {
        try
        {
            ValidateDocId(id);
        }
        catch (WireFormatException ex)
        {
            throw new WireFormatException("handoff id: " + ex.Message.Replace("document id", "id", StringComparison.Ordinal), ex);
        }
    }

    private static void ValidatePresence(Presence presence)
    {
        if (presence.UpdatedMs < 0)
        {
            throw new WireFormatException("presence has a negative time");
        }

        // Versions travel as uint64 but are int64 in memory (Activity.Version).
        if (presence.Version > long.MaxValue)
        {
            throw new WireFormatException($"presence version {presence.Version} is out of range");
        }

        if (presence.Documents.Count > MaxHandoffDocuments)
        {
            throw new WireFormatException($"presence lists {presence.Documents.Count} documents; at most {MaxHandoffDocuments} are allowed");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in presence.Documents)
        {
            ValidateDocId(document.DocId);
            if (!ids.Add(document.DocId))
            {
                throw new WireFormatException($"presence lists document {document.DocId} twice");
            }

            // Empty: the sender does not know the name (the document is not in its store).
            if (document.Name.Length > 0)
            {
                ValidateName(document.Name);
            }
        }

        if (presence.HandedOffTo.Length > 0 && !Identity.DeviceId.TryParse(presence.HandedOffTo, out _))
        {
            throw new WireFormatException("presence handed_off_to is not a device id");
        }
    }

    private static void ValidateAwareness(AwarenessFrame frame)
    {
        ValidateDocId(frame.DocId);
        if (frame.Update.Length > MaxAwarenessBytes)
        {
            throw new WireFormatException($"awareness update for {frame.DocId} is {frame.Update.Length} bytes; at most {MaxAwarenessBytes} are allowed");
        }

        try
        {
            AwarenessUpdate.Decode(frame.Update.Span);
        }
        catch (YProtocolFormatException ex)
        {
            throw new WireFormatException($"awareness update for {frame.DocId}: {ex.Message}", ex);
        }
    }

    private static void ValidateRequest(HandoffRequest request)
    {
        ValidateHandoffId(request.HandoffId);
        if (request.StateVectors.Count > MaxHandoffDocuments)
        {
            throw new WireFormatException($"handoff request {request.HandoffId} has {request.StateVectors.Count} state vectors; at most {MaxHandoffDocuments} are allowed");
        }

        foreach (var vector in request.StateVectors)
        {
            ValidateDocId(vector.DocId);
            try
            {
                Crdt.Y.DecodeStateVector(vector.StateVector.Memory);
            }
            catch (Crdt.UpdateFormatException ex)
            {
                throw new WireFormatException($"handoff request {request.HandoffId}: state vector for {vector.DocId}: {ex.Message}", ex);
            }
        }
    }

    private static void ValidateBegin(HandoffBegin begin)
    {
        ValidateHandoffId(begin.HandoffId);
        if (begin.ActivityJson.Length > MaxActivityJsonBytes)
        {
            throw new WireFormatException($"handoff {begin.HandoffId} carries an activity of {begin.ActivityJson.Length} bytes; at most {MaxActivityJsonBytes} are allowed");
        }

        if (begin.Documents.Count > MaxHandoffDocuments)
        {
            throw new WireFormatException($"handoff {begin.HandoffId} has {begin.Documents.Count} documents; at most {MaxHandoffDocuments} are allowed");
        }

        foreach (var document in begin.Documents)
        {
            if (document.Record is null)
            {
                throw new WireFormatException($"handoff {begin.HandoffId} has a document without its record");
            }

            ValidateAnnounce(document.Record);
            ValidateOptionalSpaceId(document.Record.SpaceId, $"handoff {begin.HandoffId} document {document.Record.DocId}");
            if (document.UpdateBytes > MaxUpdateBytes)
            {
                throw new WireFormatException($"handoff {begin.HandoffId} announces {document.UpdateBytes} update bytes for {document.Record.DocId}; at most {MaxUpdateBytes} are allowed");
            }
        }
    }

    private static void ValidateChunk(HandoffChunk chunk)
    {
        ValidateHandoffId(chunk.HandoffId);
        ValidateDocId(chunk.DocId);
        if (chunk.Data.Length > MaxChunkBytes)
        {
            throw new WireFormatException($"handoff chunk of {chunk.DocId} is {chunk.Data.Length} bytes; at most {MaxChunkBytes} are allowed");
        }

        if (chunk.Offset > MaxUpdateBytes)
        {
            throw new WireFormatException($"handoff chunk of {chunk.DocId} starts at {chunk.Offset}, beyond the largest update");
        }
    }

    private static void ValidateReason(string reason)
    {
        if (reason.Length > MaxReasonLength)
        {
            throw new WireFormatException($"reason is {reason.Length} characters; at most {MaxReasonLength} are allowed");
        }
    }

    private static void ValidateAnnounce(DocAnnounce doc)
    {
        ValidateDocId(doc.DocId);
        ValidateName(doc.Name);
        if (doc.CreatedMs < 0 || doc.NameChangedMs < 0)
        {
            throw new WireFormatException($"document {doc.DocId} has a negative time");
        }

        if (doc.NameChangedBy.Length > MaxDocIdLength)
        {
            throw new WireFormatException($"document {doc.DocId} names a renaming device id of {doc.NameChangedBy.Length} characters");
        }
    }

    /// <summary>1 to 128 characters of RFC 3986 unreserved ASCII, and not "." or "..".</summary>
    public static void ValidateDocId(string id)
    {
        if (id.Length == 0 || id.Length > MaxDocIdLength)
        {
            throw new WireFormatException($"document id must be 1 to {MaxDocIdLength} characters, not {id.Length}");
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
            {
                throw new WireFormatException($"document id contains U+{(int)c:X4}; only letters, digits, '-', '.', '_' and '~' are allowed");
            }
        }

        if (id is "." or "..")
        {
            throw new WireFormatException($"document id '{id}' would be read as a path segment");
        }
    }

    /// <summary>Non-blank, at most 200 code units, no surrounding whitespace, controls, separators, bidi overrides or broken surrogates.</summary>
    public static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new WireFormatException($"document name must be 1 to {MaxNameLength} characters and not blank");
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            throw new WireFormatException("document name starts or ends with whitespace");
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c)
                || char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || c is >= '\u202A' and <= '\u202E'
                || c is >= '\u2066' and <= '\u2069')
            {
                throw new WireFormatException($"document name contains U+{(int)c:X4} at position {i + 1}");
            }
        }
    }
}
