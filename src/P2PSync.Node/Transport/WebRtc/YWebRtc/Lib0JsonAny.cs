using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// lib0's <c>writeAny</c>/<c>readAny</c> for JSON values: what y-webrtc's <c>encryptJson</c> puts
/// under the password. One tag byte, then the value:
/// <code>
/// 127 undefined   126 null   125 varint   124 float32 (BE)   123 float64 (BE)   122 bigint64 (BE)
/// 121 false       120 true   119 varstring
/// 118 object: varuint n | n x (varstring key | any)     117 array: varuint n | n x any
/// 116 Uint8Array: varuint n | n bytes
/// </code>
/// Numbers are written as lib0 does: integers with |n| &lt;= 2^31 - 1 as varint, else float32 when
/// that is exact, else float64. Read side: undefined becomes an absent member (in objects) or null;
/// bigint becomes a number; byte arrays have no JSON form and are refused.
/// </summary>
internal static class Lib0JsonAny
{
    /// <summary>Deepest nesting accepted on read; bounds recursion on hostile input.</summary>
    public const int MaxDepth = 64;

    private const byte TagUndefined = 127;
    private const byte TagNull = 126;
    private const byte TagInteger = 125;
    private const byte TagFloat32 = 124;
    private const byte TagFloat64 = 123;
    private const byte TagBigInt = 122;
    private const byte TagFalse = 121;
    private const byte TagTrue = 120;
    private const byte TagString = 119;
    private const byte TagObject = 118;
    private const byte TagArray = 117;
    private const byte TagBytes = 116;

    private const double Bits31 = int.MaxValue;

    public static byte[] Encode(JsonNode? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="YWebRtcFormatException">The bytes are not exactly one lib0 "any" JSON value.</exception>
    public static JsonNode? Decode(ReadOnlySpan<byte> bytes)
    {
        var cursor = new Lib0Cursor(bytes);
        var value = Read(ref cursor, 0, out _);
        cursor.ExpectEnd("lib0 value");
        return value;
    }

    private static void Write(ArrayBufferWriter<byte> buffer, JsonNode? value)
    {
        switch (value)
        {
            case null:
                WriteByte(buffer, TagNull);
                break;
            case JsonObject obj:
                WriteByte(buffer, TagObject);
                WriteVarUint(buffer, (ulong)obj.Count);
                foreach (var (key, member) in obj)
                {
                    WriteString(buffer, key);
                    Write(buffer, member);
                }

                break;
            case JsonArray array:
                WriteByte(buffer, TagArray);
                WriteVarUint(buffer, (ulong)array.Count);
                foreach (var item in array)
                {
                    Write(buffer, item);
                }

                break;
            default:
                WriteScalar(buffer, value);
                break;
        }
    }

    private static void WriteScalar(ArrayBufferWriter<byte> buffer, JsonNode value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteByte(buffer, TagString);
                WriteString(buffer, value.GetValue<string>());
                break;
            case JsonValueKind.Number:
                // Through the JSON text: works whatever CLR type backs the value (long, double, element).
                WriteNumber(buffer, double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                WriteByte(buffer, TagTrue);
                break;
            case JsonValueKind.False:
                WriteByte(buffer, TagFalse);
                break;
            case JsonValueKind.Object:
                Write(buffer, JsonNode.Parse(value.ToJsonString()));
                break;
            case JsonValueKind.Array:
                Write(buffer, JsonNode.Parse(value.ToJsonString()));
                break;
            default:
                WriteByte(buffer, TagNull);
                break;
        }
    }

    private static void WriteNumber(ArrayBufferWriter<byte> buffer, double number)
    {
        if (Math.Floor(number) == number && Math.Abs(number) <= Bits31)
        {
            WriteByte(buffer, TagInteger);
            WriteVarInt(buffer, (long)number, double.IsNegative(number));
        }
        else if ((double)(float)number == number)
        {
            WriteByte(buffer, TagFloat32);
            BinaryPrimitives.WriteSingleBigEndian(buffer.GetSpan(4), (float)number);
            buffer.Advance(4);
        }
        else
        {
            WriteByte(buffer, TagFloat64);
            BinaryPrimitives.WriteDoubleBigEndian(buffer.GetSpan(8), number);
            buffer.Advance(8);
        }
    }

    private static JsonNode? Read(ref Lib0Cursor cursor, int depth, out bool undefined)
    {
        undefined = false;
        var tag = cursor.ReadByte();
        switch (tag)
        {
            case TagUndefined:
                undefined = true;
                return null;
            case TagNull:
                return null;
            case TagInteger:
                return JsonValue.Create(cursor.ReadVarInt());
            case TagFloat32:
                return Finite(cursor.ReadFloat32());
            case TagFloat64:
                return Finite(cursor.ReadFloat64());
            case TagBigInt:
                return JsonValue.Create(cursor.ReadBigInt64());
            case TagFalse:
                return JsonValue.Create(false);
            case TagTrue:
                return JsonValue.Create(true);
            case TagString:
                return JsonValue.Create(cursor.ReadVarString());
            case TagObject:
                return ReadObject(ref cursor, depth + 1);
            case TagArray:
                return ReadArray(ref cursor, depth + 1);
            case TagBytes:
                throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, "a lib0 byte array has no JSON form");
            default:
                throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, $"unknown lib0 any tag {tag}");
        }
    }

    private static JsonObject ReadObject(ref Lib0Cursor cursor, int depth)
    {
        CheckDepth(depth);
        var count = ReadCount(ref cursor, minBytesEach: 2);
        var obj = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            var key = cursor.ReadVarString();
            var member = Read(ref cursor, depth, out var undefined);
            if (undefined)
            {
                // JSON.stringify drops undefined members; so do we.
                obj.Remove(key);
                continue;
            }

            // A repeated key overwrites, as a JS object assignment does.
            obj[key] = member;
        }

        return obj;
    }

    private static JsonArray ReadArray(ref Lib0Cursor cursor, int depth)
    {
        CheckDepth(depth);
        var count = ReadCount(ref cursor, minBytesEach: 1);
        var array = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(Read(ref cursor, depth, out _));
        }

        return array;
    }

    /// <summary>Every element takes at least <paramref name="minBytesEach"/> bytes, which bounds a believable count.</summary>
    private static int ReadCount(ref Lib0Cursor cursor, int minBytesEach)
    {
        var count = cursor.ReadVarUint();
        if (count * (ulong)minBytesEach > (ulong)cursor.Remaining)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Truncated, $"{count} elements claimed in {cursor.Remaining} bytes");
        }

        return (int)count;
    }

    private static void CheckDepth(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.TooLarge, $"nesting deeper than {MaxDepth}");
        }
    }

    private static JsonValue Finite(double value) =>
        double.IsFinite(value)
            ? JsonValue.Create(value)
            : throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, $"{value} has no JSON form");

    private static void WriteByte(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private static void WriteVarUint(ArrayBufferWriter<byte> buffer, ulong value)
    {
        while (value > 0x7F)
        {
            WriteByte(buffer, (byte)(0x80 | (value & 0x7F)));
            value >>= 7;
        }

        WriteByte(buffer, (byte)value);
    }

    /// <summary>lib0 writeVarInt: the sign sits in bit 6 of the first byte (so -0 keeps its sign).</summary>
    private static void WriteVarInt(ArrayBufferWriter<byte> buffer, long value, bool negative)
    {
        var magnitude = (ulong)Math.Abs(value);
        var first = (byte)((magnitude & 0x3F) | (negative ? 0x40u : 0u));
        magnitude >>= 6;
        WriteByte(buffer, (byte)(first | (magnitude > 0 ? 0x80 : 0)));
        while (magnitude > 0)
        {
            WriteByte(buffer, (byte)((magnitude & 0x7F) | (magnitude > 0x7F ? 0x80u : 0u)));
            magnitude >>= 7;
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteVarUint(buffer, (ulong)bytes.Length);
        buffer.Write(bytes);
    }
}
