using System.Text;

namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// The few lib0 decoders y-protocols uses (varuint, length-prefixed bytes, string), each checked
/// against the bytes that remain so hostile input only ever raises <see cref="YProtocolFormatException"/>.
/// (P2PSync.Crdt has a full lib0 reader, but it is internal to the CRDT by design.)
/// </summary>
internal ref struct Lib0Reader
{
    /// <summary>lib0 numbers are JS doubles: a varuint above 2^53 - 1 cannot come from a real encoder.</summary>
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
                throw new YProtocolFormatException("message ends inside a varuint");
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (value > MaxSafeInteger)
                {
                    throw new YProtocolFormatException($"varuint {value} exceeds 2^53 - 1");
                }

                return value;
            }
        }

        throw new YProtocolFormatException("varuint longer than 8 bytes");
    }

    /// <summary><c>varuint length | length bytes</c></summary>
    public ReadOnlySpan<byte> ReadVarUint8Array()
    {
        var length = ReadVarUint();
        if (length > (ulong)Remaining)
        {
            throw new YProtocolFormatException($"byte array of {length} bytes but only {Remaining} remain");
        }

        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
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
            throw new YProtocolFormatException("string is not valid UTF-8", ex);
        }
    }

    /// <summary>Throws unless every byte was consumed: trailing garbage means the sender and we disagree on the format.</summary>
    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new YProtocolFormatException($"{Remaining} unexpected bytes after the {what}");
        }
    }
}
