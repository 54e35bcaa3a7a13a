using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.SpacesCryptoBench;

/// <summary>
/// Ours, as the node runs it: seal = SignedRecord.Create + SpaceSealer.Seal; open =
/// SpaceSealer.Open + SignedRecordCodec.DecodeOwned (the opened plaintext is the record's own
/// array, as on the node's envelope path) + HasValidSignature. Each call allocates what the node
/// would (record bytes, envelope, opened plaintext).
/// </summary>
internal sealed class OurCryptoPath : IDisposable
{
    private readonly DeviceKey _author;
    private readonly SpaceId _space;
    private readonly SpaceKeyRing _ring = new();
    private readonly SpaceKey _key;
    private readonly byte[][] _updates;
    private byte[] _sealed = [];
    private ulong _seq;

    public OurCryptoPath(byte[] payload, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> key, SpaceId space)
    {
        _author = DeviceKey.FromSeed(seed);
        _space = space;
        using (var spaceKey = new SpaceKey(0, key))
        {
            _ring.Add(spaceKey);
        }

        _ring.TryGet(0, out var held);
        _key = held!;
        _updates = [payload];
        Seal();
    }

    public void Seal()
    {
        var record = SignedRecord.Create(_author, _space, "bench-doc", ++_seq, _updates);
        _sealed = SpaceSealer.Seal(SealedEnvelopeKind.SignedRecord, _space, _key, record.Encoded);
    }

    public void Open()
    {
        var opened = SpaceSealer.Open(_sealed, _space, _ring);
        if (!SignedRecordCodec.DecodeOwned(opened.Plaintext).HasValidSignature())
        {
            throw new InvalidOperationException("Our own record did not verify.");
        }
    }

    public void Dispose()
    {
        _ring.Dispose();
        _author.Dispose();
    }
}
