using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// Update format v2: each struct field goes to its own run-length/diff column; values that do
/// not compress (any, buffers, JSON) and the delete set go to the rest stream. The columns
/// are concatenated in a fixed order by <see cref="ToArray"/>.
/// </summary>
internal sealed class UpdateEncoderV2 : DSEncoderV2, IUpdateEncoder
{
    private readonly IntDiffOptRleEncoder _keyClockEncoder = new();
    private readonly UintOptRleEncoder _clientEncoder = new();
    private readonly IntDiffOptRleEncoder _leftClockEncoder = new();
    private readonly IntDiffOptRleEncoder _rightClockEncoder = new();
    private readonly RleEncoder _infoEncoder = new();
    private readonly StringEncoder _stringEncoder = new();
    private readonly RleEncoder _parentInfoEncoder = new();
    private readonly UintOptRleEncoder _typeRefEncoder = new();
    private readonly UintOptRleEncoder _lenEncoder = new();
    private int _keyClock;

    public override byte[] ToArray()
    {
        var writer = new Lib0Writer(RestWriter.Length + 64);
        writer.WriteVarUint(0); // feature flag, reserved by yjs
        writer.WriteVarUint8Array(_keyClockEncoder.ToArray());
        writer.WriteVarUint8Array(_clientEncoder.ToArray());
        writer.WriteVarUint8Array(_leftClockEncoder.ToArray());
        writer.WriteVarUint8Array(_rightClockEncoder.ToArray());
        writer.WriteVarUint8Array(_infoEncoder.ToArray());
        writer.WriteVarUint8Array(_stringEncoder.ToArray());
        writer.WriteVarUint8Array(_parentInfoEncoder.ToArray());
        writer.WriteVarUint8Array(_typeRefEncoder.ToArray());
        writer.WriteVarUint8Array(_lenEncoder.ToArray());
        // The rest stream has no length prefix: it runs to the end of the update.
        writer.WriteUint8Array(RestWriter.WrittenSpan);
        return writer.ToArray();
    }

    public void WriteLeftId(ID id)
    {
        _clientEncoder.Write(id.Client);
        _leftClockEncoder.Write(id.Clock);
    }

    public void WriteRightId(ID id)
    {
        _clientEncoder.Write(id.Client);
        _rightClockEncoder.Write(id.Clock);
    }

    public void WriteClient(ulong client) => _clientEncoder.Write(client);

    public void WriteInfo(byte info) => _infoEncoder.Write(info);

    public void WriteString(ReadOnlySpan<char> s) => _stringEncoder.Write(s);

    public void WriteParentInfo(bool isYKey) => _parentInfoEncoder.Write(isYKey ? (byte)1 : (byte)0);

    public void WriteTypeRef(int typeRef) => _typeRefEncoder.Write((ulong)typeRef);

    public void WriteLen(int len) => _lenEncoder.Write((ulong)len);

    public void WriteAny(object? value) => Lib0Any.Write(RestWriter, value);

    public void WriteBuf(byte[] buf) => RestWriter.WriteVarUint8Array(buf);

    /// <summary>v2 embeds and formats travel as lib0 any, not JSON text.</summary>
    public void WriteJson(object? value) => Lib0Any.Write(RestWriter, value);

    /// <summary>
    /// Always writes the key as new. yjs 13.6 disabled its key cache on the encoding side (the
    /// decoder still resolves back-references), and byte-identical output requires the same.
    /// </summary>
    public void WriteKey(string key)
    {
        _keyClockEncoder.Write(_keyClock++);
        _stringEncoder.Write(key);
    }
}
