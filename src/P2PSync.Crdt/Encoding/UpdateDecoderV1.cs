using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Encoding;

/// <summary>Reads update format v1 (one lib0 stream, fields in write order).</summary>
internal sealed class UpdateDecoderV1 : DSDecoderV1, IUpdateDecoder
{
    public UpdateDecoderV1(Lib0Reader reader) : base(reader)
    {
    }

    public UpdateDecoderV1(ReadOnlyMemory<byte> update) : base(new Lib0Reader(update))
    {
    }

    public ID ReadLeftId() => new(RestReader.ReadVarUint(), RestReader.ReadVarUintAsInt());

    public ID ReadRightId() => new(RestReader.ReadVarUint(), RestReader.ReadVarUintAsInt());

    public ulong ReadClient() => RestReader.ReadVarUint();

    public byte ReadInfo() => RestReader.ReadUint8();

    public string ReadString() => RestReader.ReadVarString();

    public bool ReadParentInfo() => RestReader.ReadVarUint() == 1;

    public int ReadTypeRef() => RestReader.ReadVarUintAsInt();

    public int ReadLen() => RestReader.ReadVarUintAsInt();

    public object? ReadAny() => RestReader.ReadAny();

    public byte[] ReadBuf() => RestReader.ReadVarUint8Array();

    public object? ReadJson() => Lib0Any.ParseJson(RestReader.ReadVarString());

    public string ReadKey() => RestReader.ReadVarString();
}
