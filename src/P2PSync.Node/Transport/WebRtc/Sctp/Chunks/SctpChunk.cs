using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// One chunk: type(1) flags(1) length(2, header + value, without padding) value, padded to 4 bytes.
/// Subclasses know their value layout; this base writes the header and the zero padding.
/// </summary>
internal abstract class SctpChunk
{
    public abstract byte TypeCode { get; }

    public virtual byte Flags => 0;

    /// <summary>Bytes of the value (after the 4-byte header), without padding.</summary>
    public abstract int ValueLength { get; }

    /// <summary>The length field: header plus value.</summary>
    public int Length => 4 + ValueLength;

    /// <summary>Bytes the chunk takes in a packet.</summary>
    public int PaddedLength => SctpFormat.Pad4(Length);

    public void Write(Span<byte> destination)
    {
        destination[0] = TypeCode;
        destination[1] = Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)Length));
        WriteValue(destination.Slice(4, ValueLength));
        destination[Length..PaddedLength].Clear();
    }

    protected abstract void WriteValue(Span<byte> value);
}
