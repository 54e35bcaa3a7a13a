using System.Buffers;
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
