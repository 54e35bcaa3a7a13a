using System.Numerics;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// JavaScript's <c>===</c> and Yjs's attribute comparison (<c>equalAttrs</c>, a flat
/// object comparison) over our lib0 "any" representation. Formatting decisions depend
/// on these answers, so they must agree with what yjs computes for the same values:
/// numbers compare by value whatever their CLR type, objects and arrays by reference
/// except for the one flat level that <c>equalAttrs</c> opens.
/// </summary>
internal static class JsEquality
{
    public static bool IsNumber(object? value) => Lib0Any.IsNumber(value);

    /// <summary>JS <c>a === b</c>.</summary>
    public static bool StrictEquals(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            // NaN is the one value that is not === itself; boxed doubles are distinct
            // objects, so a shared reference only occurs for the very same box.
            return a is not double d || !double.IsNaN(d);
        }
        if (a is null || b is null)
        {
            return false;
        }
        if (a is string sa)
        {
            return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
        }
        if (a is bool ba)
        {
            return b is bool bb && ba == bb;
        }
        if (a is Undefined)
        {
            return b is Undefined;
        }
        if (IsNumber(a))
        {
            // JS numbers are doubles; whatever CLR type holds them, they compare as doubles.
            return IsNumber(b) && Lib0Any.ToDouble(a) == Lib0Any.ToDouble(b);
        }
        if (a is BigInteger ia)
        {
            return b is BigInteger ib && ia == ib;
        }
        return false;
    }

    /// <summary>
    /// Yjs <c>equalAttrs</c>: strict equality, or for two (non-null) objects/arrays the same
    /// keys holding strictly equal values.
    /// </summary>
    public static bool EqualAttrs(object? a, object? b)
    {
        if (StrictEquals(a, b))
        {
            return true;
        }
        if (!IsJsObject(a) || !IsJsObject(b))
        {
            return false;
        }
        switch (a)
        {
            case IReadOnlyDictionary<string, object?> da when b is IReadOnlyDictionary<string, object?> db:
                if (da.Count != db.Count)
                {
                    return false;
                }
                foreach (var (key, value) in da)
                {
                    bool has = db.TryGetValue(key, out var other);
                    if (!(value is not Undefined || has) || !StrictEquals(has ? other : Undefined.Value, value))
                    {
                        return false;
                    }
                }
                return true;
            case IReadOnlyList<object?> la when b is IReadOnlyList<object?> lb:
                if (la.Count != lb.Count)
                {
                    return false;
                }
                for (int i = 0; i < la.Count; i++)
                {
                    if (!StrictEquals(lb[i], la[i]))
                    {
                        return false;
                    }
                }
                return true;
            case byte[] xa when b is byte[] xb:
                return xa.AsSpan().SequenceEqual(xb);
            default:
                // Two objects of different shapes are flat-equal in JS only when both have no keys.
                return KeyCount(a) == 0 && KeyCount(b) == 0;
        }
    }

    private static bool IsJsObject(object? value) =>
        value is IReadOnlyDictionary<string, object?> or IReadOnlyList<object?> or byte[];

    private static int KeyCount(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> d => d.Count,
        IReadOnlyList<object?> l => l.Count,
        byte[] b => b.Length,
        _ => -1,
    };
}
