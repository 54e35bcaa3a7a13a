using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace P2PSync.Protocol.YProtocols;

/// <summary>The lib0 encoders matching <see cref="Lib0Reader"/>, writing into a growable buffer.</summary>
internal sealed class Lib0Writer
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public Lib0Writer(int initialCapacity = 64)
    {
        _buffer = new ArrayBufferWriter<byte>(Math.Max(1, initialCapacity));
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteVarUint(ulong value)
    {
        if (value > Lib0Reader.MaxSafeInteger)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "lib0 varuints stop at 2^53 - 1");
        }

        var span = _buffer.GetSpan(8);
        var n = 0;
        while (value > 0x7F)
        {
            span[n++] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }

        span[n++] = (byte)value;
        _buffer.Advance(n);
    }

    /// <summary>
    /// lib0 writeVarInt: the sign sits in bit 6 of the first byte, apart from the magnitude, so
    /// -0 keeps its sign (<paramref name="negative"/> says so; <paramref name="value"/> alone cannot).
    /// </summary>
    public void WriteVarInt(long value, bool negative)
    {
        var magnitude = (ulong)Math.Abs(value);
        var first = (byte)((magnitude & 0x3F) | (negative ? 0x40u : 0u));
        magnitude >>= 6;
        WriteByte((byte)(first | (magnitude > 0 ? 0x80 : 0)));
        while (magnitude > 0)
        {
            WriteByte((byte)((magnitude & 0x7F) | (magnitude > 0x7F ? 0x80u : 0u)));
            magnitude >>= 7;
        }
    }

    public void WriteFloat32(float value)
    {
        BinaryPrimitives.WriteSingleBigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteFloat64(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteVarUint8Array(ReadOnlySpan<byte> bytes)
    {
        WriteVarUint((ulong)bytes.Length);
        _buffer.Write(bytes);
    }

    public void WriteVarString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteVarUint8Array(bytes);
    }
}
