using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// Struct half of an update decoder (Yjs UpdateDecoderV1/V2). Every method throws
/// <see cref="UpdateFormatException"/> on malformed or truncated input, never anything else.
/// </summary>
internal interface IUpdateDecoder : IDSDecoder
{
    ID ReadLeftId();
    ID ReadRightId();
    ulong ReadClient();
    byte ReadInfo();
    string ReadString();
    bool ReadParentInfo();
    int ReadTypeRef();
    int ReadLen();
    object? ReadAny();
    byte[] ReadBuf();
    object? ReadJson();
    string ReadKey();
}
