using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Encoding;

/// <summary>Struct half of an update encoder (Yjs UpdateEncoderV1/V2), same method set as Yjs.</summary>
internal interface IUpdateEncoder : IDSEncoder
{
    void WriteLeftId(ID id);
    void WriteRightId(ID id);
    void WriteClient(ulong client);
    void WriteInfo(byte info);
    void WriteString(ReadOnlySpan<char> s);
    void WriteParentInfo(bool isYKey);
    void WriteTypeRef(int typeRef);
    void WriteLen(int len);
    /// <summary>lib0 "any" value; see <see cref="Lib0Any"/> for the C# representation.</summary>
    void WriteAny(object? value);
    void WriteBuf(byte[] buf);
    /// <summary>ContentJSON / ContentEmbed value (v1: JSON string, v2: any).</summary>
    void WriteJson(object? value);
    void WriteKey(string key);
}
