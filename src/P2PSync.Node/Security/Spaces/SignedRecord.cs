using System.Buffers;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// One or more Yjs updates to one document, signed by the device that wrote them. This is the only
/// form in which content travels between nodes: a node signs what its own clients write and
/// relays everyone else's records byte for byte, so any receiver can check who wrote what.
/// Immutable; <see cref="Encoded"/> is the exact bytes (docs/protocol/signed-record.md) and
/// every other member is a view of them.
/// </summary>
internal sealed class SignedRecord
{
    public const int HashLength = 32;

    private readonly byte[] _encoded;
    private byte[]? _hash;

    // 0 = not checked yet, 1 = valid, 2 = invalid. Immutable bytes give one answer forever, so a
    // record checked by the gate is not verified again by whoever looks next.
    private int _signatureState;

    private SignedRecord(byte[] encoded, SpaceId space, DeviceId author, ulong seq, string docId, ReadOnlyMemory<byte>[] updates)
    {
        _encoded = encoded;
        Space = space;
        Author = author;
        Seq = seq;
        DocId = docId;
        Updates = updates;
    }

    public SpaceId Space { get; }

    /// <summary>The device that signed the record.</summary>
    public DeviceId Author { get; }

    /// <summary>Position in the author's records for this document: 1, 2, 3... without gaps.</summary>
    public ulong Seq { get; }

    public string DocId { get; }

    /// <summary>The Yjs v1 updates, in order, as views into <see cref="Encoded"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Updates { get; }

    /// <summary>The Ed25519 signature (the last 64 bytes of <see cref="Encoded"/>).</summary>
    public ReadOnlySpan<byte> Signature => _encoded.AsSpan(_encoded.Length - SignedRecordCodec.SignatureLength);

    /// <summary>
    /// The exact record bytes: what is stored and relayed. Callers must not write to the array;
    /// it is shared rather than copied because records are relayed to every connected member.
    /// </summary>
    public byte[] Encoded => _encoded;

    /// <summary>
    /// BLAKE2b-256 of the signed bytes: tells two different records at one (author, seq) apart.
    /// Computed on first use: the hot paths (sign, relay, verify) never need it.
    /// </summary>
    public ReadOnlySpan<byte> Hash => _hash ??= ComputeHash();

    /// <summary>A new record of <paramref name="updates"/> to <paramref name="docId"/>, signed by <paramref name="author"/>.</summary>
    /// <exception cref="ArgumentException">An argument the format cannot carry (see <see cref="SignedRecordCodec"/>).</exception>
    public static SignedRecord Create(DeviceKey author, SpaceId space, string docId, ulong seq, IReadOnlyList<byte[]> updates)
    {
        var encoded = SignedRecordCodec.Encode(author, space, docId, seq, updates);
        var record = FromEncoded(encoded, space, author.Id, seq, docId);
        record._signatureState = 1;
        return record;
    }

    /// <summary>True when the signature verifies against <see cref="Author"/> over the exact encoded bytes.</summary>
    public bool HasValidSignature()
    {
        if (_signatureState == 0)
        {
            _signatureState = Verify() ? 1 : 2;
        }

        return _signatureState == 1;
    }

    public override string ToString() => $"record {Author.ToShortString()}#{Seq} of {DocId} in space {Space}";

    // Binds already validated (or freshly encoded) bytes: finds the update slices, checks nothing.
    internal static SignedRecord FromEncoded(byte[] encoded, SpaceId space, DeviceId author, ulong seq, string docId)
    {
        var body = encoded.Length - SignedRecordCodec.SignatureLength;
        var position = SignedRecordCodec.FixedHeaderLength + docId.Length;
        var count = (int)RecordVaruint.Read(encoded, ref position, body, SignedRecordCodec.MaxUpdates, "update count");
        var updates = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var length = (int)RecordVaruint.Read(encoded, ref position, body, SignedRecordCodec.MaxRecordBytes, "update length");
            updates[i] = new ReadOnlyMemory<byte>(encoded, position, length);
            position += length;
        }

        return new SignedRecord(encoded, space, author, seq, docId, updates);
    }

    private bool Verify()
    {
        var signed = RentSignedBytes(out var length);
        try
        {
            return Sodium.Ed25519Verify(Signature, signed.AsSpan(0, length), Author.PublicKey.Span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }
    }

    private byte[] ComputeHash()
    {
        var signed = RentSignedBytes(out var length);
        try
        {
            var hash = new byte[HashLength];
            Sodium.Blake2b(hash, signed.AsSpan(0, length));
            return hash;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }
    }

    // Domain || bytes before the signature, laid out contiguously (Ed25519 needs one message span)
    // in a pooled buffer the caller returns. Not cleared on return: it holds nothing the record
    // does not hold itself.
    private byte[] RentSignedBytes(out int length)
    {
        var unsigned = _encoded.Length - SignedRecordCodec.SignatureLength;
        length = SignedRecordCodec.Domain.Length + unsigned;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        SignedRecordCodec.Domain.CopyTo(buffer);
        _encoded.AsSpan(0, unsigned).CopyTo(buffer.AsSpan(SignedRecordCodec.Domain.Length));
        return buffer;
    }
}
