using System.Buffers.Binary;
using System.Text;

namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// The lib0 decoders y-protocols and y-webrtc's signalling use (byte, varuint, signed varint,
/// floats, bigint64, length-prefixed bytes, string), each checked against the bytes that remain
/// so hostile input only ever raises <see cref="YProtocolFormatException"/> (with a
/// <see cref="Lib0FormatProblem"/>, so y-webrtc can wrap it in its own typed error).
/// (P2PSync.Crdt has a full lib0 reader, but it is internal to the CRDT by design.)
/// </summary>
internal ref struct Lib0Reader
{
    /// <summary>lib0 numbers are JS doubles: a varint above 2^53 - 1 cannot come from a real encoder.</summary>
    public const ulong MaxSafeInteger = (1UL << 53) - 1;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public Lib0Reader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw new YProtocolFormatException(Lib0FormatProblem.Truncated, $"message ends inside a byte at byte {_position}");
        }

        return _data[_position++];
    }

    /// <summary>
    /// <code>
    /// byte: [more:1][value bits:7], least significant group first; at most 8 bytes (56 bits &gt;= 53)
    /// </code>
    /// </summary>
    public ulong ReadVarUint()
    {
        ulong value = 0;
        for (var i = 0; i < 8; i++)
        {
            if (_position >= _data.Length)
            {
                throw new YProtocolFormatException(Lib0FormatProblem.Truncated, "message ends inside a varuint");
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (value > MaxSafeInteger)
                {
                    throw new YProtocolFormatException(Lib0FormatProblem.TooLarge, $"varuint {value} exceeds 2^53 - 1");
                }

                return value;
            }
        }

        throw new YProtocolFormatException(Lib0FormatProblem.TooLarge, "varuint longer than 8 bytes");
    }

    /// <summary>
    /// <code>
    /// first byte: [more:1][negative:1][value bits:6], then [more:1][value bits:7] groups; at most 8 bytes
    /// </code>
    /// </summary>
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
                throw new YProtocolFormatException(Lib0FormatProblem.TooLarge, "varint longer than 8 bytes");
            }

            var b = ReadByte();
            magnitude |= (ulong)(b & 0x7F) << shift;
            more = (b & 0x80) != 0;
        }

        if (magnitude > MaxSafeInteger)
        {
            throw new YProtocolFormatException(Lib0FormatProblem.TooLarge, $"varint magnitude {magnitude} exceeds 2^53 - 1");
        }

        return negative ? -(long)magnitude : (long)magnitude;
    }

    public float ReadFloat32() => BinaryPrimitives.ReadSingleBigEndian(Take(4, "a float32"));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8, "a float64"));

    public long ReadBigInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "a bigint64"));

    /// <summary><c>varuint length | length bytes</c></summary>
    public ReadOnlySpan<byte> ReadVarUint8Array()
    {
        var length = ReadVarUint();
        if (length > (ulong)Remaining)
        {
            throw new YProtocolFormatException(Lib0FormatProblem.Truncated, $"byte array of {length} bytes but only {Remaining} remain");
        }

        return Take((int)length, "a byte array");
    }

    /// <summary><c>varuint byteLength | UTF-8 bytes</c> (strict: invalid UTF-8 is an error, like lib0's fatal TextDecoder).</summary>
    public string ReadVarString()
    {
        var bytes = ReadVarUint8Array();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new YProtocolFormatException(Lib0FormatProblem.Malformed, "string is not valid UTF-8", ex);
        }
    }

    /// <summary>Throws unless every byte was consumed: trailing garbage means the sender and we disagree on the format.</summary>
    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new YProtocolFormatException(Lib0FormatProblem.Malformed, $"{Remaining} unexpected bytes after the {what}");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw new YProtocolFormatException(Lib0FormatProblem.Truncated, $"message ends inside {what} at byte {_position}");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
