using System.Globalization;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Protocol.Wire;

/// <summary>
/// The rules an envelope's fields must meet beyond protobuf's. Document ids and names follow the
/// store's rules (P2PSync.Node.Storage.DocumentIds / DocumentNames): a peer must not be able to
/// plant an id or name the local CLI could never have created.
/// </summary>
public static class EnvelopeValidator
{
    /// <summary>Longest document id (matches the store).</summary>
    public const int MaxDocIdLength = 128;

    /// <summary>Longest document name in UTF-16 code units (matches the store).</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest device name in a Hello.</summary>
    public const int MaxDeviceNameLength = 200;

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
