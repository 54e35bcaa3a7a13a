using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// Cursor over lib0-encoded bytes. Every read validates against the bytes that remain and
/// throws <see cref="UpdateFormatException"/> (never an index or overflow exception), so callers
/// can parse hostile input without their own bounds checks.
/// </summary>
internal sealed class Lib0Reader
{
    /// <summary>lib0 numbers are JS doubles, so varints beyond 2^53 - 1 cannot be produced by it.</summary>
    public const ulong MaxSafeInteger = (1UL << 53) - 1;

    // 8 bytes carry 56 (varuint) or 55 (varint) value bits, enough for 53; a 9th byte is overlong.
    private const int MaxVarintBytes = 8;

    // TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) in lib0: invalid UTF-8 is an error, BOM kept.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Decoding is hot (every struct field), so read straight from an array instead of going
    // through ReadOnlyMemory.Span on each byte. _position is absolute within _array.
    private readonly byte[] _array;
    private readonly int _start;
    private readonly int _end;
    private int _position;

    public Lib0Reader(ReadOnlyMemory<byte> data)
    {
        if (MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is not null)
        {
            _array = segment.Array;
            _start = segment.Offset;
        }
        else
        {
            _array = data.ToArray();
            _start = 0;
        }
        _end = _start + data.Length;
        _position = _start;
    }

    /// <summary>Bytes read so far.</summary>
    public int Position => _position - _start;

    public int Remaining => _end - _position;

    public bool HasContent => _position < _end;

    public byte ReadUint8()
    {
        if (_position >= _end)
        {
            throw Truncated();
        }
        return _array[_position++];
    }

    public ulong ReadVarUint()
    {
        var array = _array;
        ulong value = 0;
        var shift = 0;
        for (var i = 0; i < MaxVarintBytes; i++)
        {
            if (_position >= _end)
            {
                throw Truncated();
            }
            var b = array[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (value > MaxSafeInteger)
                {
                    throw new UpdateFormatException("Varuint exceeds 2^53 - 1.");
                }
                return value;
            }
            shift += 7;
        }
        throw new UpdateFormatException("Varuint is longer than 8 bytes.");
    }

    /// <summary>A varuint that must fit an int (clocks, lengths, counts).</summary>
    public int ReadVarUintAsInt()
    {
        var value = ReadVarUint();
        if (value > int.MaxValue)
        {
            throw new UpdateFormatException($"Value {value} exceeds int.MaxValue.");
        }
        return (int)value;
    }

    public long ReadVarInt()
    {
        var magnitude = ReadVarInt(out var negative);
        return negative ? -(long)magnitude : (long)magnitude;
    }

    /// <summary>Signed varint as sign and magnitude, so "-0" (a flag in the v2 codecs) is visible.</summary>
    public ulong ReadVarInt(out bool negative)
    {
        var array = _array;
        if (_position >= _end)
        {
            throw Truncated();
        }
        var b = array[_position++];
        negative = (b & 0x40) != 0;
        ulong value = (ulong)(b & 0x3F);
        if (b < 0x80)
        {
            return value;
        }
        var shift = 6;
        for (var i = 1; i < MaxVarintBytes; i++)
        {
            if (_position >= _end)
            {
                throw Truncated();
            }
            b = array[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (value > MaxSafeInteger)
                {
                    throw new UpdateFormatException("Varint exceeds 2^53 - 1.");
                }
                return value;
            }
            shift += 7;
        }
        throw new UpdateFormatException("Varint is longer than 8 bytes.");
    }

    /// <summary>A signed varint that must fit an int.</summary>
    public int ReadVarIntAsInt()
    {
        var value = ReadVarInt();
        if (value is > int.MaxValue or < int.MinValue)
        {
            throw new UpdateFormatException($"Value {value} does not fit an int.");
        }
        return (int)value;
    }

    public string ReadVarString()
    {
        var length = ReadLength();
        if (length == 0)
        {
            return string.Empty;
        }
        var bytes = _array.AsSpan(_position, length);
        string result;
        try
        {
            result = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new UpdateFormatException("String is not valid UTF-8.", e);
        }
        _position += length;
        return result;
    }

    /// <summary>Length-prefixed bytes, copied so the result does not pin the input.</summary>
    public byte[] ReadVarUint8Array() => ReadVarUint8ArrayMemory().ToArray();

    /// <summary>Length-prefixed bytes as a slice of the input (no copy).</summary>
    public ReadOnlyMemory<byte> ReadVarUint8ArrayMemory()
    {
        var length = ReadLength();
        var slice = new ReadOnlyMemory<byte>(_array, _position, length);
        _position += length;
        return slice;
    }

    /// <summary>Exactly <paramref name="length"/> raw bytes as a slice of the input.</summary>
    public ReadOnlyMemory<byte> ReadUint8Array(int length)
    {
        if (length < 0 || length > Remaining)
        {
            throw Truncated();
        }
        var slice = new ReadOnlyMemory<byte>(_array, _position, length);
        _position += length;
        return slice;
    }

    /// <summary>Everything not read yet.</summary>
    public ReadOnlyMemory<byte> ReadTail() => ReadUint8Array(Remaining);

    public float ReadFloat32() => BinaryPrimitives.ReadSingleBigEndian(ReadUint8Array(4).Span);

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(ReadUint8Array(8).Span);

    public long ReadBigInt64() => BinaryPrimitives.ReadInt64BigEndian(ReadUint8Array(8).Span);

    /// <summary>A lib0 "any" value; see <see cref="Lib0Any"/> for the C# representation.</summary>
    public object? ReadAny() => Lib0Any.Read(this);

    /// <summary>
    /// A varuint count of items that each take at least one byte. Checking it against the
    /// remaining bytes before anything is allocated stops a tiny input from claiming gigabytes.
    /// </summary>
    public int ReadLength()
    {
        var length = ReadVarUint();
        if (length > (ulong)Remaining)
        {
            throw new UpdateFormatException($"Length {length} exceeds the {Remaining} bytes that remain.");
        }
        return (int)length;
    }

    /// <summary>
    /// A varuint count of entries that each take at least <paramref name="minBytesEach"/> bytes
    /// of this reader (e.g. a client id and a clock), checked the same way as <see cref="ReadLength"/>.
    /// </summary>
    public int ReadCount(int minBytesEach)
    {
        var count = ReadVarUint();
        if (count > (ulong)(Remaining / minBytesEach))
        {
            throw new UpdateFormatException($"Count {count} exceeds what the remaining {Remaining} bytes can hold.");
        }
        return (int)count;
    }

    private static UpdateFormatException Truncated() => new("Unexpected end of input.");
}
