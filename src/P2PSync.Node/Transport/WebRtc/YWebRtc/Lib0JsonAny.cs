using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using P2PSync.Protocol.YProtocols;

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
        var writer = new Lib0Writer(256);
        Write(writer, value);
        return writer.ToArray();
    }

    /// <exception cref="YWebRtcFormatException">The bytes are not exactly one lib0 "any" JSON value.</exception>
    public static JsonNode? Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Lib0Reader(bytes);
            var value = Read(ref reader, 0, out _);
            reader.ExpectEnd("lib0 value");
            return value;
        }
        catch (YProtocolFormatException ex)
        {
            throw YWebRtcFormatException.FromLib0(ex);
        }
    }

    private static void Write(Lib0Writer writer, JsonNode? value)
    {
        switch (value)
        {
            case null:
                writer.WriteByte(TagNull);
                break;
            case JsonObject obj:
                writer.WriteByte(TagObject);
                writer.WriteVarUint((ulong)obj.Count);
                foreach (var (key, member) in obj)
                {
                    writer.WriteVarString(key);
                    Write(writer, member);
                }

                break;
            case JsonArray array:
                writer.WriteByte(TagArray);
                writer.WriteVarUint((ulong)array.Count);
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                break;
            default:
                WriteScalar(writer, value);
                break;
        }
    }

    private static void WriteScalar(Lib0Writer writer, JsonNode value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                writer.WriteByte(TagString);
                writer.WriteVarString(value.GetValue<string>());
                break;
            case JsonValueKind.Number:
                // Through the JSON text: works whatever CLR type backs the value (long, double, element).
                WriteNumber(writer, double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                writer.WriteByte(TagTrue);
                break;
            case JsonValueKind.False:
                writer.WriteByte(TagFalse);
                break;
            case JsonValueKind.Object:
                Write(writer, JsonNode.Parse(value.ToJsonString()));
                break;
            case JsonValueKind.Array:
                Write(writer, JsonNode.Parse(value.ToJsonString()));
                break;
            default:
                writer.WriteByte(TagNull);
                break;
        }
    }

    private static void WriteNumber(Lib0Writer writer, double number)
    {
        if (Math.Floor(number) == number && Math.Abs(number) <= Bits31)
        {
            writer.WriteByte(TagInteger);
            writer.WriteVarInt((long)number, double.IsNegative(number));
        }
        else if ((double)(float)number == number)
        {
            writer.WriteByte(TagFloat32);
            writer.WriteFloat32((float)number);
        }
        else
        {
            writer.WriteByte(TagFloat64);
            writer.WriteFloat64(number);
        }
    }

    private static JsonNode? Read(ref Lib0Reader reader, int depth, out bool undefined)
    {
        undefined = false;
        var tag = reader.ReadByte();
        switch (tag)
        {
            case TagUndefined:
                undefined = true;
                return null;
            case TagNull:
                return null;
            case TagInteger:
                return JsonValue.Create(reader.ReadVarInt());
            case TagFloat32:
                return Finite(reader.ReadFloat32());
            case TagFloat64:
                return Finite(reader.ReadFloat64());
            case TagBigInt:
                return JsonValue.Create(reader.ReadBigInt64());
            case TagFalse:
                return JsonValue.Create(false);
            case TagTrue:
                return JsonValue.Create(true);
            case TagString:
                return JsonValue.Create(reader.ReadVarString());
            case TagObject:
                return ReadObject(ref reader, depth + 1);
            case TagArray:
                return ReadArray(ref reader, depth + 1);
            case TagBytes:
                throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, "a lib0 byte array has no JSON form");
            default:
                throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, $"unknown lib0 any tag {tag}");
        }
    }

    private static JsonObject ReadObject(ref Lib0Reader reader, int depth)
    {
        CheckDepth(depth);
        var count = ReadCount(ref reader, minBytesEach: 2);
        var obj = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadVarString();
            var member = Read(ref reader, depth, out var undefined);
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

    private static JsonArray ReadArray(ref Lib0Reader reader, int depth)
    {
        CheckDepth(depth);
        var count = ReadCount(ref reader, minBytesEach: 1);
        var array = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(Read(ref reader, depth, out _));
        }

        return array;
    }

    /// <summary>Every element takes at least <paramref name="minBytesEach"/> bytes, which bounds a believable count.</summary>
    private static int ReadCount(ref Lib0Reader reader, int minBytesEach)
    {
        var count = reader.ReadVarUint();
        if (count * (ulong)minBytesEach > (ulong)reader.Remaining)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Truncated, $"{count} elements claimed in {reader.Remaining} bytes");
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
}
