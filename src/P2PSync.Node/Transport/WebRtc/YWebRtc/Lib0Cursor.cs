using System.Buffers.Binary;
using System.Text;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// Reads the lib0 primitives y-webrtc's signalling uses (byte, varuint, signed varint, floats,
/// length-prefixed bytes and strings) with every length checked against what remains, so hostile
/// bytes only ever raise <see cref="YWebRtcFormatException"/>. (Protocol's reader lacks the signed
/// varint and floats, and the CRDT's full reader is internal to the CRDT by design.)
/// </summary>
internal ref struct Lib0Cursor
{
    /// <summary>lib0 numbers are JS doubles: magnitudes above 2^53 - 1 cannot come from a real encoder.</summary>
    public const ulong MaxSafeInteger = (1UL << 53) - 1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public Lib0Cursor(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated("a byte");
        }

        return _data[_position++];
    }

    /// <summary><c>[more:1][7 bits]</c> per byte, least significant group first.</summary>
    public ulong ReadVarUint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 56; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value <= MaxSafeInteger
                    ? value
                    : throw new YWebRtcFormatException(YWebRtcFormatProblem.TooLarge, $"varuint {value} exceeds 2^53 - 1");
            }
        }

        throw new YWebRtcFormatException(YWebRtcFormatProblem.TooLarge, "varuint longer than 8 bytes");
    }

    /// <summary>First byte <c>[more:1][negative:1][6 bits]</c>, then <c>[more:1][7 bits]</c> groups.</summary>
    public long ReadVarInt()
    {
        var first = ReadByte();
        var negative = (first & 0x40) != 0;
        ulong magnitude = (ulong)(first & 0x3F);
        var more = (first & 0x80) != 0;
        for (var shift = 6; more; shift += 7)
        {
            if (shift > 55)
            {
                throw new YWebRtcFormatException(YWebRtcFormatProblem.TooLarge, "varint longer than 8 bytes");
            }

            var b = ReadByte();
            magnitude |= (ulong)(b & 0x7F) << shift;
            more = (b & 0x80) != 0;
        }

        if (magnitude > MaxSafeInteger)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.TooLarge, $"varint magnitude {magnitude} exceeds 2^53 - 1");
        }

        return negative ? -(long)magnitude : (long)magnitude;
    }

    public float ReadFloat32() => BinaryPrimitives.ReadSingleBigEndian(Take(4, "a float32"));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8, "a float64"));

    public long ReadBigInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "a bigint64"));

    /// <summary><c>varuint length | length bytes</c></summary>
    public ReadOnlySpan<byte> ReadVarBytes()
    {
        var length = ReadVarUint();
        if (length > (ulong)Remaining)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Truncated, $"byte array of {length} bytes but only {Remaining} remain");
        }

        return Take((int)length, "a byte array");
    }

    /// <summary><c>varuint byteLength | UTF-8</c>, strict like lib0's fatal TextDecoder.</summary>
    public string ReadVarString()
    {
        var bytes = ReadVarBytes();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Malformed, "string is not valid UTF-8", ex);
        }
    }

    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Malformed, $"{Remaining} unexpected bytes after the {what}");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw Truncated(what);
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly YWebRtcFormatException Truncated(string what) =>
        new(YWebRtcFormatProblem.Truncated, $"payload ends inside {what} at byte {_position}");
}
