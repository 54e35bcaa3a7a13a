using System.Buffers.Binary;
using System.Text;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// Append-only byte buffer with the lib0 primitive encodings (varints, var strings, big-endian
/// floats, "any" values). One contiguous array instead of lib0's chunk list: we only ever
/// append and then copy out once, so a doubling array is simpler and just as fast.
/// </summary>
internal sealed class Lib0Writer
{
    // UTF-8 with replacement: lone surrogates become U+FFFD (EF BF BD) exactly like TextEncoder.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private byte[] _buffer;
    private int _length;

    public Lib0Writer(int initialCapacity = 64)
    {
        _buffer = new byte[Math.Max(initialCapacity, 16)];
    }

    /// <summary>Number of bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far, without copying. Invalidated by the next write.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    /// <summary>Forget everything written, keeping the buffer for reuse.</summary>
    public void Clear() => _length = 0;

    public void WriteUint8(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }
        _buffer[_length++] = value;
    }

    /// <summary>Unsigned LEB128-style varint: 7 bits per byte, high bit means "more follows".</summary>
    public void WriteVarUint(ulong value)
    {
        EnsureCapacity(10);
        var buffer = _buffer;
        var pos = _length;
        while (value > 0x7F)
        {
            buffer[pos++] = (byte)(0x80 | (value & 0x7F));
            value >>= 7;
        }
        buffer[pos++] = (byte)value;
        _length = pos;
    }

    /// <summary>lib0 signed varint: the first byte holds "more" (0x80), the sign (0x40) and 6 value bits.</summary>
    public void WriteVarInt(long value)
    {
        if (value < 0)
        {
            // Negate in unsigned space so long.MinValue does not overflow.
            WriteVarInt(unchecked(0UL - (ulong)value), negative: true);
        }
        else
        {
            WriteVarInt((ulong)value, negative: false);
        }
    }

    /// <summary>
    /// Signed varint from sign and magnitude. Separate from <see cref="WriteVarInt(long)"/> because
    /// lib0 distinguishes -0 from 0 (the v2 run-length codecs use "-0" as a flag).
    /// </summary>
    public void WriteVarInt(ulong magnitude, bool negative)
    {
        EnsureCapacity(11);
        var buffer = _buffer;
        var pos = _length;
        buffer[pos++] = (byte)((magnitude > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (int)(magnitude & 0x3F));
        magnitude >>= 6;
        while (magnitude > 0)
        {
            buffer[pos++] = (byte)((magnitude > 0x7F ? 0x80 : 0) | (int)(magnitude & 0x7F));
            magnitude >>= 7;
        }
        _length = pos;
    }

    /// <summary>UTF-8 bytes prefixed by their varuint length.</summary>
    public void WriteVarString(ReadOnlySpan<char> value)
    {
        if (value.Length == 0)
        {
            WriteUint8(0);
            return;
        }
        var byteCount = Utf8.GetByteCount(value);
        WriteVarUint((ulong)byteCount);
        EnsureCapacity(byteCount);
        _length += Utf8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>Raw bytes, no length prefix.</summary>
    public void WriteUint8Array(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Bytes prefixed by their varuint length.</summary>
    public void WriteVarUint8Array(ReadOnlySpan<byte> bytes)
    {
        WriteVarUint((ulong)bytes.Length);
        WriteUint8Array(bytes);
    }

    public void WriteFloat32(float value)
    {
        if (float.IsNaN(value))
        {
            // .NET's NaN has the sign bit set; V8 writes its canonical quiet NaN.
            value = BitConverter.Int32BitsToSingle(0x7FC00000);
        }
        EnsureCapacity(4);
        BinaryPrimitives.WriteSingleBigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteFloat64(double value)
    {
        if (double.IsNaN(value))
        {
            // .NET's NaN has the sign bit set; V8 writes its canonical quiet NaN.
            value = BitConverter.Int64BitsToDouble(0x7FF8000000000000);
        }
        EnsureCapacity(8);
        BinaryPrimitives.WriteDoubleBigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteBigInt64(long value)
    {
        EnsureCapacity(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>A lib0 "any" value; see <see cref="Lib0Any"/> for the accepted C# types.</summary>
    public void WriteAny(object? value) => Lib0Any.Write(this, value);

    private void EnsureCapacity(int extra)
    {
        if (_buffer.Length - _length < extra)
        {
            Grow(extra);
        }
    }

    private void Grow(int extra)
    {
        var needed = (long)_length + extra;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("Encoded data exceeds the maximum array size.");
        }
        var newSize = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        Array.Resize(ref _buffer, (int)newSize);
    }
}
