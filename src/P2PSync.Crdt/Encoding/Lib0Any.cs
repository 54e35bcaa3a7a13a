using System.Collections;
using System.Numerics;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// lib0 "any" values: the JSON-like payloads of Yjs content (ContentAny, embeds, formats).
/// C# representation: <c>null</c>, <see cref="Undefined.Value"/>, <c>bool</c>, <c>string</c>,
/// integers as <c>long</c>, other numbers as <c>double</c>, JS bigint as <see cref="BigInteger"/>,
/// <c>byte[]</c>, arrays as <c>List&lt;object?&gt;</c> and objects as
/// <c>Dictionary&lt;string, object?&gt;</c> whose insertion order is the wire order.
/// Writers also accept <c>int</c>, <c>uint</c>, <c>short</c>, <c>byte</c>, <c>float</c>, any
/// <c>IReadOnlyList&lt;object?&gt;</c> and any <c>IReadOnlyDictionary&lt;string, object?&gt;</c>.
/// </summary>
public static class Lib0Any
{
    /// <summary>Deepest array/object nesting a decoder accepts; bounds recursion on hostile input.</summary>
    public const int MaxDepth = 128;

    internal const byte TagUndefined = 127;
    internal const byte TagNull = 126;
    internal const byte TagInteger = 125;
    internal const byte TagFloat32 = 124;
    internal const byte TagFloat64 = 123;
    internal const byte TagBigInt = 122;
    internal const byte TagFalse = 121;
    internal const byte TagTrue = 120;
    internal const byte TagString = 119;
    internal const byte TagObject = 118;
    internal const byte TagArray = 117;
    internal const byte TagBytes = 116;

    private const double MaxVarintNumber = int.MaxValue;

    /// <summary>Structural equality with JS number semantics (<c>1L</c> equals <c>1.0</c>).</summary>
    public static bool DeepEquals(object? a, object? b) => AnyEquality.Equal(a, b, 0);

    /// <summary>
    /// <c>JSON.stringify</c> of the value as V8 prints it: shortest round-trip numbers, the same
    /// string escapes, <c>undefined</c> members skipped in objects and printed as <c>null</c> in
    /// arrays (and at top level, where JS would return no string at all), byte arrays as
    /// index-keyed objects like a JS Uint8Array. BigIntegers print as their digits (JS throws).
    /// </summary>
    public static string ToJsonString(object? value) => JsJsonWriter.Stringify(value);

    /// <summary>
    /// <c>JSON.parse</c>: integral numbers become <c>long</c> when they fit (except -0, which stays
    /// a double), other numbers <c>double</c>; objects keep JS key order (array-index keys first).
    /// Throws <see cref="UpdateFormatException"/> on invalid JSON or nesting deeper than <see cref="MaxDepth"/>.
    /// </summary>
    public static object? ParseJson(string json) => JsJsonParser.Parse(json);

    internal static void Write(Lib0Writer writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteUint8(TagNull);
                break;
            case string s:
                writer.WriteUint8(TagString);
                writer.WriteVarString(s);
                break;
            case bool flag:
                writer.WriteUint8(flag ? TagTrue : TagFalse);
                break;
            case long l:
                WriteInteger(writer, l);
                break;
            case int i:
                WriteInteger(writer, i);
                break;
            case double d:
                WriteNumber(writer, d);
                break;
            case float f:
                WriteNumber(writer, f);
                break;
            case uint ui:
                WriteInteger(writer, ui);
                break;
            case short sh:
                WriteInteger(writer, sh);
                break;
            case ushort us:
                WriteInteger(writer, us);
                break;
            case byte by:
                WriteInteger(writer, by);
                break;
            case sbyte sb:
                WriteInteger(writer, sb);
                break;
            case ulong ul:
                if (ul <= long.MaxValue)
                {
                    WriteInteger(writer, (long)ul);
                }
                else
                {
                    WriteNumber(writer, ul);
                }
                break;
            case BigInteger big:
                writer.WriteUint8(TagBigInt);
                // setBigInt64 wraps modulo 2^64 (BigInt.asIntN(64, n)); keep the same bytes.
                writer.WriteBigInt64((long)(ulong)(big & ulong.MaxValue));
                break;
            case byte[] bytes:
                writer.WriteUint8(TagBytes);
                writer.WriteVarUint8Array(bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                writer.WriteUint8(TagBytes);
                writer.WriteVarUint8Array(memory.Span);
                break;
            case Undefined:
                writer.WriteUint8(TagUndefined);
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteUint8(TagObject);
                writer.WriteVarUint((ulong)map.Count);
                foreach (var pair in map)
                {
                    writer.WriteVarString(pair.Key);
                    Write(writer, pair.Value);
                }
                break;
            case IReadOnlyList<object?> list:
                writer.WriteUint8(TagArray);
                writer.WriteVarUint((ulong)list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    Write(writer, list[i]);
                }
                break;
            case IDictionary dictionary:
                WriteLegacyDictionary(writer, dictionary);
                break;
            case IList legacyList:
                writer.WriteUint8(TagArray);
                writer.WriteVarUint((ulong)legacyList.Count);
                foreach (var item in legacyList)
                {
                    Write(writer, item);
                }
                break;
            default:
                throw new ArgumentException($"Type {value.GetType()} is not a lib0 any value.", nameof(value));
        }
    }

    internal static object? Read(Lib0Reader reader) => Read(reader, 0);

    /// <summary>True for values that JS <c>typeof</c> calls "number", which lib0 writes by value.</summary>
    internal static bool IsNumber(object? value) =>
        value is long or int or double or float or uint or short or ushort or byte or sbyte or ulong;

    /// <summary>A JS-number view of any C# numeric value accepted by <see cref="Write"/>.</summary>
    internal static double ToDouble(object value) => value switch
    {
        long l => l,
        int i => i,
        double d => d,
        float f => f,
        uint ui => ui,
        short s => s,
        ushort us => us,
        byte b => b,
        sbyte sb => sb,
        ulong ul => ul,
        _ => throw new ArgumentException($"Type {value.GetType()} is not a number.", nameof(value)),
    };

    private static void WriteInteger(Lib0Writer writer, long value)
    {
        if (value is >= -int.MaxValue and <= int.MaxValue)
        {
            writer.WriteUint8(TagInteger);
            writer.WriteVarInt(value);
        }
        else
        {
            WriteNumber(writer, value);
        }
    }

    private static void WriteNumber(Lib0Writer writer, double value)
    {
        if (double.IsFinite(value) && Math.Floor(value) == value && Math.Abs(value) <= MaxVarintNumber)
        {
            writer.WriteUint8(TagInteger);
            // -0 is an integer to JS too, and lib0 keeps its sign bit on the wire.
            writer.WriteVarInt((ulong)Math.Abs(value), double.IsNegative(value));
        }
        else if ((double)(float)value == value)
        {
            writer.WriteUint8(TagFloat32);
            writer.WriteFloat32((float)value);
        }
        else
        {
            writer.WriteUint8(TagFloat64);
            writer.WriteFloat64(value);
        }
    }

    private static void WriteLegacyDictionary(Lib0Writer writer, IDictionary dictionary)
    {
        writer.WriteUint8(TagObject);
        writer.WriteVarUint((ulong)dictionary.Count);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key)
            {
                throw new ArgumentException("Object keys must be strings.", nameof(dictionary));
            }
            writer.WriteVarString(key);
            Write(writer, entry.Value);
        }
    }

    private static object? Read(Lib0Reader reader, int depth)
    {
        var tag = reader.ReadUint8();
        switch (tag)
        {
            case TagUndefined:
                return Undefined.Value;
            case TagNull:
                return null;
            case TagInteger:
            {
                var magnitude = reader.ReadVarInt(out var negative);
                if (negative && magnitude == 0)
                {
                    return -0.0;
                }
                return negative ? -(long)magnitude : (long)magnitude;
            }
            case TagFloat32:
                return NormalizeNumber(reader.ReadFloat32());
            case TagFloat64:
                return NormalizeNumber(reader.ReadFloat64());
            case TagBigInt:
                return new BigInteger(reader.ReadBigInt64());
            case TagFalse:
                return false;
            case TagTrue:
                return true;
            case TagString:
                return reader.ReadVarString();
            case TagObject:
                return ReadObject(reader, depth + 1);
            case TagArray:
            {
                if (depth + 1 > MaxDepth)
                {
                    throw new UpdateFormatException($"Any value nested deeper than {MaxDepth}.");
                }
                var count = reader.ReadLength();
                var list = new List<object?>(count);
                for (var i = 0; i < count; i++)
                {
                    list.Add(Read(reader, depth + 1));
                }
                return list;
            }
            case TagBytes:
                return reader.ReadVarUint8Array();
            default:
                throw new UpdateFormatException($"Unknown any tag {tag}.");
        }
    }

    private static Dictionary<string, object?> ReadObject(Lib0Reader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new UpdateFormatException($"Any value nested deeper than {MaxDepth}.");
        }
        // Every entry takes at least two bytes (empty key, value tag); ReadLength checks one.
        var count = reader.ReadLength();
        var builder = new JsObjectBuilder(count);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadVarString();
            var value = Read(reader, depth);
            // lib0 fills a plain object with obj[key] = value, which for "__proto__" sets the
            // prototype instead of adding a key; mirror that so re-encoding matches yjs.
            builder.Assign(key, value, protoIsSetter: true);
        }
        return builder.Build();
    }

    /// <summary>
    /// JS has one number type; we keep integral values as long so they compare like integers.
    /// Also what a locally inserted number becomes, so the inserting replica holds exactly the
    /// value and C# type its peers decode.
    /// </summary>
    internal static object NormalizeNumber(double value)
    {
        if (Math.Floor(value) == value && value >= -9.2233720368547758E+18 && value < 9.2233720368547758E+18 && !(value == 0 && double.IsNegative(value)))
        {
            return (long)value;
        }
        return value;
    }
}
