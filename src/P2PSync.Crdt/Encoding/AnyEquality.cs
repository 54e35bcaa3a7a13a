using System.Numerics;

namespace P2PSync.Crdt.Encoding;

/// <summary>Structural comparison of <see cref="Lib0Any"/> values with JS number semantics.</summary>
internal static class AnyEquality
{
    public static bool Equal(object? a, object? b, int depth)
    {
        if (depth > Lib0Any.MaxDepth * 4)
        {
            throw new InvalidOperationException("Values are nested too deeply to compare.");
        }
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a is null || b is null)
        {
            return false;
        }
        if (Lib0Any.IsNumber(a) || Lib0Any.IsNumber(b))
        {
            if (!Lib0Any.IsNumber(a) || !Lib0Any.IsNumber(b))
            {
                return false;
            }
            if (a is long la && b is long lb)
            {
                return la == lb;
            }
            return Lib0Any.ToDouble(a).Equals(Lib0Any.ToDouble(b));
        }
        switch (a)
        {
            case string sa:
                return b is string sb && sa == sb;
            case bool ba:
                return b is bool bb && ba == bb;
            case BigInteger ia:
                return b is BigInteger ib && ia == ib;
            case Undefined:
                return b is Undefined;
            case byte[] bytesA:
                return b is byte[] bytesB && bytesA.AsSpan().SequenceEqual(bytesB);
            case IReadOnlyDictionary<string, object?> mapA:
            {
                if (b is not IReadOnlyDictionary<string, object?> mapB || mapA.Count != mapB.Count)
                {
                    return false;
                }
                foreach (var pair in mapA)
                {
                    if (!mapB.TryGetValue(pair.Key, out var other) || !Equal(pair.Value, other, depth + 1))
                    {
                        return false;
                    }
                }
                return true;
            }
            case IReadOnlyList<object?> listA:
            {
                if (b is not IReadOnlyList<object?> listB || listA.Count != listB.Count)
                {
                    return false;
                }
                for (var i = 0; i < listA.Count; i++)
                {
                    if (!Equal(listA[i], listB[i], depth + 1))
                    {
                        return false;
                    }
                }
                return true;
            }
            default:
                return a.Equals(b);
        }
    }
}
