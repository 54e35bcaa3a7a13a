using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The binary form of a <see cref="SignedRecord"/> (docs/protocol/signed-record.md):
/// <code>
///  0     1              17                     49          57       58             58+n
///  +-----+--------------+----------------------+-----------+--------+--------------+---------------------------+-----------+
///  | ver | space id 16  | author Ed25519 pk 32 | seq u64BE | n (u8) | doc id n B   | updates: varuint count,   | signature |
///  | =1  |              |                      | >= 1      | 1..128 | (DocumentIds | count x (varuint len,     | 64        |
///  |     |              |                      |           |        |  rules)      | len bytes Yjs update v1)  |           |
///  +-----+--------------+----------------------+-----------+--------+--------------+---------------------------+-----------+
///  signed bytes = "p2psync/signed-record/v1\0" (25 bytes) || all bytes before the signature
///  record hash  = BLAKE2b-256(signed bytes)
/// </code>
/// varuint = unsigned LEB128, shortest form only. count 1..65535, each update &gt;= 2 bytes,
/// nothing after the signature, whole record &lt;= 64 MiB. The codec checks form only; the
/// signature is checked by <see cref="SignedRecord.HasValidSignature"/>, and the Yjs updates are
/// decoded by the document when it applies them.
/// </summary>
internal static class SignedRecordCodec
{
    public const byte Version = 1;
    public const int SignatureLength = Sodium.Ed25519SignatureBytes;
    public const int MaxRecordBytes = 64 * 1024 * 1024;
    public const int MaxUpdates = ushort.MaxValue;

    /// <summary>Shortest Yjs v1 update: zero structs and an empty delete set.</summary>
    public const int MinUpdateBytes = 2;

    /// <summary>Version, space, author, sequence number and doc id length: everything before the doc id.</summary>
    public const int FixedHeaderLength = 58;

    /// <summary>Header, a one-byte doc id, one update of two bytes and the signature.</summary>
    public const int MinRecordBytes = FixedHeaderLength + 1 + 1 + 1 + MinUpdateBytes + SignatureLength;

    internal const int SpaceOffset = 1;
    internal const int AuthorOffset = SpaceOffset + SpaceId.Length;
    internal const int SeqOffset = AuthorOffset + DeviceId.KeyLength;
    internal const int DocIdLengthOffset = SeqOffset + 8;

    /// <summary>
    /// Prefixed to the signed bytes so a record signature can never pass as a signature the same
    /// device key makes in another protocol (membership entries, handshakes), and vice versa.
    /// </summary>
    public static ReadOnlySpan<byte> Domain => "p2psync/signed-record/v1\0"u8;

    /// <summary>
    /// The complete record bytes (signature included) for <paramref name="updates"/> to
    /// <paramref name="docId"/> by <paramref name="author"/> at <paramref name="seq"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An argument the format cannot carry (see the class summary).</exception>
    public static byte[] Encode(DeviceKey author, SpaceId space, string docId, ulong seq, IReadOnlyList<byte[]> updates)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(docId);
        ArgumentNullException.ThrowIfNull(updates);
        if (space.IsEmpty)
        {
            throw new ArgumentException("A record belongs to a space.", nameof(space));
        }

        if (!IsWellFormedDocId(docId))
        {
            throw new ArgumentException($"'{docId}' is not a document id (1..{DocumentIds.MaxLength} of A-Z a-z 0-9 - . _ ~).", nameof(docId));
        }

        ArgumentOutOfRangeException.ThrowIfZero(seq);
        var unsignedLength = UnsignedLength(docId.Length, updates);

        // Every byte is written below, so the array need not be zeroed first (1 MiB of memset per large record).
        var encoded = GC.AllocateUninitializedArray<byte>(unsignedLength + SignatureLength);
        // Ed25519 signs one contiguous message and the domain label is not part of the record, so the
        // body is laid out once behind the label in a pooled buffer, signed there, and copied out.
        // Not cleared on return: it holds what the record itself holds, and clearing 1 MiB per
        // keystroke batch would cost more than the copy.
        var signed = ArrayPool<byte>.Shared.Rent(Domain.Length + unsignedLength);
        try
        {
            var message = signed.AsSpan(0, Domain.Length + unsignedLength);
            Domain.CopyTo(message);
            WriteUnsigned(message[Domain.Length..], author.PublicKey, space, docId, seq, updates);
            message[Domain.Length..].CopyTo(encoded);
            author.Sign(message).CopyTo(encoded.AsSpan(unsignedLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }

        return encoded;
    }

    /// <summary>Reads one record that fills <paramref name="bytes"/> exactly; the record keeps its own copy of them.</summary>
    /// <exception cref="RecordFormatException">The bytes are not a well-formed version 1 record.</exception>
    public static SignedRecord Decode(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        var docIdLength = Validate(span);
        // Everything is checked before anything is allocated, so hostile input costs no memory.
        var encoded = GC.AllocateUninitializedArray<byte>(span.Length);
        span.CopyTo(encoded);
        return Bind(encoded, docIdLength);
    }

    /// <summary>
    /// Like <see cref="Decode"/>, but the record takes <paramref name="owned"/> itself as its
    /// <see cref="SignedRecord.Encoded"/> instead of a copy: for bytes nobody else holds, such as
    /// the plaintext of an opened envelope, where a copy would only double a large allocation.
    /// The caller must not keep or write the array afterwards.
    /// </summary>
    /// <exception cref="RecordFormatException">The bytes are not a well-formed version 1 record.</exception>
    public static SignedRecord DecodeOwned(byte[] owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        var docIdLength = Validate(owned);
        return Bind(owned, docIdLength);
    }

    private static SignedRecord Bind(byte[] encoded, int docIdLength)
    {
        var span = encoded.AsSpan();
        var space = SpaceId.FromBytes(span.Slice(SpaceOffset, SpaceId.Length));
        var author = DeviceId.FromPublicKey(span.Slice(AuthorOffset, DeviceId.KeyLength));
        var seq = BinaryPrimitives.ReadUInt64BigEndian(span[SeqOffset..]);
        var docId = Encoding.ASCII.GetString(span.Slice(FixedHeaderLength, docIdLength));
        return SignedRecord.FromEncoded(encoded, space, author, seq, docId);
    }

    // The unsigned length, checking every limit of the format on the way.
    private static int UnsignedLength(int docIdLength, IReadOnlyList<byte[]> updates)
    {
        var count = updates.Count;
        if (count is < 1 or > MaxUpdates)
        {
            throw new ArgumentException($"A record carries 1..{MaxUpdates} updates, not {count}.", nameof(updates));
        }

        long length = FixedHeaderLength + docIdLength + RecordVaruint.Length((uint)count);
        for (var i = 0; i < count; i++)
        {
            var update = updates[i] ?? throw new ArgumentException($"Update {i} is null.", nameof(updates));
            if (update.Length < MinUpdateBytes)
            {
                throw new ArgumentException($"Update {i} has {update.Length} bytes; a Yjs update has at least {MinUpdateBytes}.", nameof(updates));
            }

            length += RecordVaruint.Length((uint)update.Length) + update.Length;
            if (length + SignatureLength > MaxRecordBytes)
            {
                throw new ArgumentException($"The updates do not fit in one record of at most {MaxRecordBytes} bytes; split them.", nameof(updates));
            }
        }

        return (int)length;
    }

    private static void WriteUnsigned(
        Span<byte> destination, ReadOnlySpan<byte> author, SpaceId space, string docId, ulong seq, IReadOnlyList<byte[]> updates)
    {
        destination[0] = Version;
        space.Bytes.CopyTo(destination[SpaceOffset..]);
        author.CopyTo(destination[AuthorOffset..]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[SeqOffset..], seq);
        destination[DocIdLengthOffset] = (byte)docId.Length;
        var position = FixedHeaderLength + Encoding.ASCII.GetBytes(docId, destination[FixedHeaderLength..]);
        RecordVaruint.Write(destination, ref position, (uint)updates.Count);
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            RecordVaruint.Write(destination, ref position, (uint)update.Length);
            update.CopyTo(destination[position..]);
            position += update.Length;
        }
    }

    // Checks the whole form; returns the doc id length.
    private static int Validate(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinRecordBytes)
        {
            throw new RecordFormatException($"A signed record is at least {MinRecordBytes} bytes; this one has {bytes.Length}.");
        }

        if (bytes.Length > MaxRecordBytes)
        {
            throw new RecordFormatException($"A signed record is at most {MaxRecordBytes} bytes; this one has {bytes.Length}.");
        }

        if (bytes[0] != Version)
        {
            throw new RecordFormatException($"Signed record version {bytes[0]} is not supported (expected {Version}).");
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(bytes[SeqOffset..]) == 0)
        {
            throw new RecordFormatException("A signed record's sequence number starts at 1; this one is 0.");
        }

        var body = bytes.Length - SignatureLength;
        int docIdLength = bytes[DocIdLengthOffset];
        if (docIdLength is 0 or > DocumentIds.MaxLength)
        {
            throw new RecordFormatException($"A document id is 1..{DocumentIds.MaxLength} bytes; this record says {docIdLength}.");
        }

        if (FixedHeaderLength + docIdLength >= body)
        {
            throw new RecordFormatException($"The {docIdLength}-byte document id runs into the signature.");
        }

        CheckDocId(bytes.Slice(FixedHeaderLength, docIdLength));
        var position = FixedHeaderLength + docIdLength;
        var count = RecordVaruint.Read(bytes, ref position, body, MaxUpdates, "update count");
        if (count == 0)
        {
            throw new RecordFormatException("A signed record carries at least one update; this one has none.");
        }

        // Each update takes at least a length byte and two bytes, so an impossible count is refused before the loop.
        if ((long)count * (1 + MinUpdateBytes) > body - position)
        {
            throw new RecordFormatException($"{count} updates cannot fit in the {body - position} bytes before the signature.");
        }

        for (var i = 0; i < count; i++)
        {
            var length = RecordVaruint.Read(bytes, ref position, body, (uint)(body - position), "update length");
            if (length < MinUpdateBytes)
            {
                throw new RecordFormatException($"Update {i} has {length} bytes; a Yjs update has at least {MinUpdateBytes}.");
            }

            if (length > body - position)
            {
                throw new RecordFormatException($"Update {i} claims {length} bytes; only {body - position} remain before the signature.");
            }

            position += (int)length;
        }

        if (position != body)
        {
            throw new RecordFormatException($"{body - position} bytes follow the last update before the signature.");
        }

        return docIdLength;
    }

    // DocumentIds.IsWellFormed, without its LINQ: Create is on every keystroke's path.
    private static bool IsWellFormedDocId(string docId)
    {
        if (docId.Length is 0 or > DocumentIds.MaxLength || docId is "." or "..")
        {
            return false;
        }

        foreach (var c in docId)
        {
            if (!IsDocIdChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDocIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static void CheckDocId(ReadOnlySpan<byte> docId)
    {
        for (var i = 0; i < docId.Length; i++)
        {
            if (!IsDocIdChar((char)docId[i]))
            {
                throw new RecordFormatException($"Byte 0x{docId[i]:x2} at position {i + 1} of the document id is not allowed (A-Z a-z 0-9 - . _ ~).");
            }
        }

        if (docId.SequenceEqual("."u8) || docId.SequenceEqual(".."u8))
        {
            throw new RecordFormatException("The document id '.' or '..' would be read as a path segment.");
        }
    }
}
