using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// Reads update format v2: the header holds nine length-prefixed column streams (see
/// <see cref="UpdateEncoderV2.ToArray"/>), the rest stream follows to the end.
/// </summary>
internal sealed class UpdateDecoderV2 : DSDecoderV2, IUpdateDecoder
{
    private readonly List<string> _keys = [];
    private readonly IntDiffOptRleDecoder _keyClockDecoder;
    private readonly UintOptRleDecoder _clientDecoder;
    private readonly IntDiffOptRleDecoder _leftClockDecoder;
    private readonly IntDiffOptRleDecoder _rightClockDecoder;
    private readonly RleDecoder _infoDecoder;
    private readonly StringDecoder _stringDecoder;
    private readonly RleDecoder _parentInfoDecoder;
    private readonly UintOptRleDecoder _typeRefDecoder;
    private readonly UintOptRleDecoder _lenDecoder;

    public UpdateDecoderV2(ReadOnlyMemory<byte> update) : this(new Lib0Reader(update))
    {
    }

    /// <summary>Reads the column header from <paramref name="reader"/>, which is left at the rest stream.</summary>
    public UpdateDecoderV2(Lib0Reader reader) : base(reader)
    {
        reader.ReadVarUint(); // feature flag, unused by yjs
        _keyClockDecoder = new IntDiffOptRleDecoder(reader.ReadVarUint8ArrayMemory());
        _clientDecoder = new UintOptRleDecoder(reader.ReadVarUint8ArrayMemory());
        _leftClockDecoder = new IntDiffOptRleDecoder(reader.ReadVarUint8ArrayMemory());
        _rightClockDecoder = new IntDiffOptRleDecoder(reader.ReadVarUint8ArrayMemory());
        _infoDecoder = new RleDecoder(reader.ReadVarUint8ArrayMemory());
        _stringDecoder = new StringDecoder(reader.ReadVarUint8ArrayMemory());
        _parentInfoDecoder = new RleDecoder(reader.ReadVarUint8ArrayMemory());
        _typeRefDecoder = new UintOptRleDecoder(reader.ReadVarUint8ArrayMemory());
        _lenDecoder = new UintOptRleDecoder(reader.ReadVarUint8ArrayMemory());
    }

    public ID ReadLeftId() => new(ReadClientValue(), ToClock(_leftClockDecoder.Read()));

    public ID ReadRightId() => new(ReadClientValue(), ToClock(_rightClockDecoder.Read()));

    public ulong ReadClient() => ReadClientValue();

    public byte ReadInfo() => _infoDecoder.Read();

    public string ReadString() => _stringDecoder.Read();

    public bool ReadParentInfo() => _parentInfoDecoder.Read() == 1;

    public int ReadTypeRef() => ToInt(_typeRefDecoder.Read());

    public int ReadLen() => ToInt(_lenDecoder.Read());

    public object? ReadAny() => RestReader.ReadAny();

    public byte[] ReadBuf() => RestReader.ReadVarUint8Array();

    public object? ReadJson() => RestReader.ReadAny();

    public string ReadKey()
    {
        var keyClock = _keyClockDecoder.Read();
        if (keyClock >= 0 && keyClock < _keys.Count)
        {
            return _keys[(int)keyClock];
        }
        var key = _stringDecoder.Read();
        _keys.Add(key);
        return key;
    }

    private ulong ReadClientValue()
    {
        var client = _clientDecoder.Read();
        if (client > Lib0Reader.MaxSafeInteger)
        {
            throw new UpdateFormatException($"Client id {client} exceeds 2^53 - 1.");
        }
        return client;
    }

    private static int ToClock(long value)
    {
        if (value is < 0 or > int.MaxValue)
        {
            throw new UpdateFormatException($"Clock {value} is outside 0..int.MaxValue.");
        }
        return (int)value;
    }

    private static int ToInt(ulong value)
    {
        if (value > int.MaxValue)
        {
            throw new UpdateFormatException($"Value {value} exceeds int.MaxValue.");
        }
        return (int)value;
    }
}
