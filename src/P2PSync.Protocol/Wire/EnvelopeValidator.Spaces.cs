using System.Globalization;
using P2PSync.Protocol.Identity;

namespace P2PSync.Protocol.Wire;

/// <summary>
/// The rules for the protocol-2 bodies: spaces, record vectors, signed records and joins
/// (docs/protocol/spaces-sync.md, "Limits"). Only the shape is checked here; signatures,
/// membership and the record format are checked by the node, which knows the spaces.
/// </summary>
public static partial class EnvelopeValidator
{
    /// <summary>A space id is 16 random bytes.</summary>
    public const int SpaceIdLength = 16;

    /// <summary>Most membership entries in one SpaceState (a space's whole log).</summary>
    public const int MaxSpaceEntries = 10_000;

    /// <summary>
    /// Largest single membership entry. The v1 codec's largest entry is 187 bytes; the margin lets
    /// a later entry version through the validator so that only the codec decides on its form.
    /// </summary>
    public const int MaxMembershipEntryBytes = 1024;

    /// <summary>
    /// A wrapped key is crypto_box_seal (32-byte ephemeral key + 16-byte tag) over epoch u64BE
    /// and the 32-byte key: exactly 88 bytes.
    /// </summary>
    public const int WrappedSpaceKeyLength = 32 + 16 + 8 + 32;

    /// <summary>Most authors in one RecordVector (a space cannot have had more members than entries).</summary>
    public const int MaxVectorAuthors = MaxSpaceEntries;

    /// <summary>Most signed records in one Records message.</summary>
    public const int MaxRecordsPerMessage = 10_000;

    /// <summary>Largest signed record (the record format's own limit, docs/protocol/signed-record.md).</summary>
    public const int MaxRecordBytes = 64 * 1024 * 1024;

    /// <summary>An invite id is BLAKE2b-128 keyed with the invite secret.</summary>
    public const int InviteIdLength = 16;

    /// <summary>A join proof is BLAKE2b-256.</summary>
    public const int JoinProofLength = 32;

    private static void ValidateAnnouncedSpace(DocAnnounce doc)
    {
        // From protocol 2 every document belongs to exactly one space, fixed at creation; an
        // announcement without one cannot be placed and must not be adopted.
        if (doc.SpaceId.Length != SpaceIdLength)
        {
            throw new WireFormatException($"document {doc.DocId} names a space id of {doc.SpaceId.Length} bytes; it must be {SpaceIdLength}");
        }
    }

    private static void ValidateOptionalSpaceId(Google.Protobuf.ByteString spaceId, string what)
    {
        if (spaceId.Length != 0 && spaceId.Length != SpaceIdLength)
        {
            throw new WireFormatException($"{what} names a space id of {spaceId.Length} bytes; it must be {SpaceIdLength} or absent");
        }
    }

    private static void ValidateSpaceState(SpaceState state)
    {
        if (state.SpaceId.Length != SpaceIdLength)
        {
            throw new WireFormatException($"space state names a space id of {state.SpaceId.Length} bytes; it must be {SpaceIdLength}");
        }

        ValidateSpaceName(state.Name);
        if (state.Entries.Count == 0 || state.Entries.Count > MaxSpaceEntries)
        {
            throw new WireFormatException($"space state carries {state.Entries.Count} membership entries; 1 to {MaxSpaceEntries} are allowed (the log starts with its genesis)");
        }

        for (var i = 0; i < state.Entries.Count; i++)
        {
            var length = state.Entries[i].Length;
            if (length == 0 || length > MaxMembershipEntryBytes)
            {
                throw new WireFormatException($"space state entry {i} is {length} bytes; 1 to {MaxMembershipEntryBytes} are allowed");
            }
        }

        // Epoch 0 plus one per RotateKey entry: never more keys than entries + 1.
        if (state.Keys.Count > MaxSpaceEntries + 1)
        {
            throw new WireFormatException($"space state carries {state.Keys.Count} keys; at most {MaxSpaceEntries + 1} are allowed");
        }

        var epochs = new HashSet<ulong>();
        foreach (var key in state.Keys)
        {
            if (!epochs.Add(key.Epoch))
            {
                throw new WireFormatException($"space state carries two keys for epoch {key.Epoch}");
            }

            if (key.SealedKey.Length != WrappedSpaceKeyLength)
            {
                throw new WireFormatException($"space state key for epoch {key.Epoch} is {key.SealedKey.Length} bytes; a wrapped key is {WrappedSpaceKeyLength}");
            }
        }
    }

    private static void ValidateSpaceName(string name)
    {
        try
        {
            ValidateName(name);
        }
        catch (WireFormatException ex)
        {
            throw new WireFormatException("space name: " + ex.Message.Replace("document name", "name", StringComparison.Ordinal), ex);
        }
    }

    private static void ValidateRecordVector(RecordVector vector)
    {
        ValidateDocId(vector.DocId);
        if (vector.Entries.Count > MaxVectorAuthors)
        {
            throw new WireFormatException($"record vector for {vector.DocId} has {vector.Entries.Count} authors; at most {MaxVectorAuthors} are allowed");
        }

        // Keys are compared as hex: ByteString has value equality, but the text keeps the error readable.
        var authors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in vector.Entries)
        {
            if (entry.Author.Length != DeviceId.KeyLength)
            {
                throw new WireFormatException($"record vector for {vector.DocId} names an author of {entry.Author.Length} bytes; an author key is {DeviceId.KeyLength}");
            }

            var author = Convert.ToHexStringLower(entry.Author.Span);
            if (!authors.Add(author))
            {
                throw new WireFormatException($"record vector for {vector.DocId} names author {author[..8]} twice");
            }

            // An author without records is simply left out; seq 0 would be a second way to say it.
            if (entry.Seq == 0)
            {
                throw new WireFormatException($"record vector for {vector.DocId} gives author {author[..8]} seq 0; sequence numbers start at 1");
            }
        }
    }

    private static void ValidateRecords(Records records)
    {
        ValidateDocId(records.DocId);
        if (records.Records_.Count == 0 || records.Records_.Count > MaxRecordsPerMessage)
        {
            throw new WireFormatException($"records message for {records.DocId} carries {records.Records_.Count} records; 1 to {MaxRecordsPerMessage} are allowed");
        }

        for (var i = 0; i < records.Records_.Count; i++)
        {
            var length = records.Records_[i].Length;
            if (length == 0 || length > MaxRecordBytes)
            {
                throw new WireFormatException($"record {i} for {records.DocId} is {length} bytes; 1 to {MaxRecordBytes} are allowed");
            }
        }
    }

    private static void ValidateJoinRequest(JoinRequest request)
    {
        if (request.InviteId.Length != InviteIdLength)
        {
            throw new WireFormatException($"join request names an invite id of {request.InviteId.Length} bytes; it must be {InviteIdLength}");
        }

        if (request.Proof.Length != JoinProofLength)
        {
            throw new WireFormatException($"join request carries a proof of {request.Proof.Length} bytes; it must be {JoinProofLength}");
        }

        ValidateDeviceName(request.DeviceName, "join request");
        if (request.ListenPort > ushort.MaxValue)
        {
            throw new WireFormatException($"join request listen port {request.ListenPort} is not a TCP port");
        }
    }

    private static void ValidateJoinResult(JoinResult result)
    {
        ValidateReason(result.Reason);
        ValidateDeviceName(result.InviterName, "join result");
        if (result.Accepted)
        {
            if (result.Space is null)
            {
                throw new WireFormatException("an accepted join result carries no space");
            }

            ValidateSpaceState(result.Space);
            return;
        }

        // A refusal is shown to the joiner: it must say why, and must not leak the space.
        if (result.Reason.Length == 0)
        {
            throw new WireFormatException("a refused join result gives no reason");
        }

        if (result.Space is not null)
        {
            throw new WireFormatException("a refused join result carries a space");
        }
    }

    // Device names are shown in lists and logs: bounded, and free of controls and bidi overrides
    // that could disguise what is printed next to them. Empty is allowed (no name given).
    private static void ValidateDeviceName(string name, string where)
    {
        if (name.Length > MaxDeviceNameLength)
        {
            throw new WireFormatException($"{where}: device name is {name.Length} characters; at most {MaxDeviceNameLength} are allowed");
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
                throw new WireFormatException($"{where}: device name contains U+{(int)c:X4} at position {i + 1}");
            }
        }
    }
}
