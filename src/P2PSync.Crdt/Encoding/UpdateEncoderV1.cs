using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Encoding;

/// <summary>Update format v1: every field goes, in call order, into one lib0 stream.</summary>
internal sealed class UpdateEncoderV1 : DSEncoderV1, IUpdateEncoder
{
    public void WriteLeftId(ID id)
    {
        RestWriter.WriteVarUint(id.Client);
        RestWriter.WriteVarUint((ulong)id.Clock);
    }

    public void WriteRightId(ID id)
    {
        RestWriter.WriteVarUint(id.Client);
        RestWriter.WriteVarUint((ulong)id.Clock);
    }

    public void WriteClient(ulong client) => RestWriter.WriteVarUint(client);

    public void WriteInfo(byte info) => RestWriter.WriteUint8(info);

    public void WriteString(ReadOnlySpan<char> s) => RestWriter.WriteVarString(s);

    public void WriteParentInfo(bool isYKey) => RestWriter.WriteVarUint(isYKey ? 1UL : 0UL);

    public void WriteTypeRef(int typeRef) => RestWriter.WriteVarUint((ulong)typeRef);

    public void WriteLen(int len) => RestWriter.WriteVarUint((ulong)len);

    public void WriteAny(object? value) => Lib0Any.Write(RestWriter, value);

    public void WriteBuf(byte[] buf) => RestWriter.WriteVarUint8Array(buf);

    /// <summary>v1 embeds and formats travel as JSON text.</summary>
    public void WriteJson(object? value) => RestWriter.WriteVarString(Lib0Any.ToJsonString(value));

    public void WriteKey(string key) => RestWriter.WriteVarString(key);
}
