using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// Random edits of every shared type, at the roots and in nested types, driven by a seeded
/// <see cref="Random"/>. Values cover the lib0 "any" kinds and strings with surrogate pairs.
/// </summary>
internal static class RandomEditor
{
    private static readonly IReadOnlyList<string> Keys = ["a", "b", "c", "d", "e"];

    private static readonly IReadOnlyList<string> Words = ["x", "yz", "hello ", "ä", "😀", "a😀b", "\n", "0123456789"];

    /// <summary>Makes one to three edits in one transaction.</summary>
    public static void EditInTransaction(Doc doc, Random random)
    {
        doc.Transact(_ =>
        {
            var count = 1 + random.Next(3);
            for (var i = 0; i < count; i++)
            {
                Edit(doc, random);
            }
        });
    }

    private static void Edit(Doc doc, Random random)
    {
        var target = PickType(doc, random);
        switch (target)
        {
            case YXmlText xmlText:
                EditText(xmlText, random);
                break;
            case YText text:
                EditText(text, random);
                break;
            case YArray array:
                EditArray(array, random);
                break;
            case YMap map:
                EditMap(map, random);
                break;
            case YXmlElement element when random.Next(3) == 0:
                EditXmlAttributes(element, random);
                break;
            case YXmlFragment fragment:
                EditXmlChildren(fragment, random);
                break;
        }
    }

    /// <summary>A root or, more often once they exist, a nested type.</summary>
    private static AbstractType PickType(Doc doc, Random random)
    {
        var types = new List<AbstractType>();
        var pending = new Stack<AbstractType>();
        pending.Push(doc.GetText("text"));
        pending.Push(doc.GetArray("array"));
        pending.Push(doc.GetMap("map"));
        pending.Push(doc.GetXmlFragment("xml"));
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            types.Add(type);
            IEnumerable<object?> children = type switch
            {
                YArray a => a.ToArray(),
                YMap m => m.Values.ToList(),
                YXmlFragment f => f.ToArray(),
                _ => [],
            };
            foreach (var child in children)
            {
                if (child is AbstractType nested)
                {
                    pending.Push(nested);
                }
            }
        }
        return types[random.Next(types.Count)];
    }

    private static void EditText(YText text, Random random)
    {
        // Editors never put the cursor inside a surrogate pair. Splitting one turns both halves into
        // U+FFFD only on the replicas that split the item there, which Yjs does not keep convergent
        // either, so the fuzzer stays on pair boundaries.
        var units = TextUnits(text);
        var length = units.Length;
        var roll = random.Next(10);
        if (length > 0 && roll < 3)
        {
            var (index, count) = RandomRange(units, random);
            text.Delete(index, count);
        }
        else if (length > 0 && roll < 5)
        {
            var (index, count) = RandomRange(units, random);
            var attributes = new Dictionary<string, object?>
            {
                [random.Next(2) == 0 ? "bold" : "italic"] = random.Next(3) == 0 ? null : true,
            };
            text.Format(index, count, attributes);
        }
        else if (roll < 6)
        {
            text.InsertEmbed(RandomBoundary(units, random), new Dictionary<string, object?> { ["image"] = "i" + random.Next(10) });
        }
        else
        {
            var attributes = random.Next(3) == 0
                ? new Dictionary<string, object?> { ["bold"] = true }
                : null;
            text.Insert(RandomBoundary(units, random), Words[random.Next(Words.Count)], attributes);
        }
    }

    /// <summary>The text's units as a string, with each embed or nested type as one placeholder unit.</summary>
    private static string TextUnits(YText text)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var op in text.ToDelta())
        {
            if (op.Insert is string s)
            {
                sb.Append(s);
            }
            else
            {
                sb.Append('\0');
            }
        }
        return sb.ToString();
    }

    private static bool IsBoundary(string units, int index) =>
        index <= 0 || index >= units.Length || !(char.IsHighSurrogate(units[index - 1]) && char.IsLowSurrogate(units[index]));

    private static int RandomBoundary(string units, Random random)
    {
        var index = random.Next(units.Length + 1);
        return IsBoundary(units, index) ? index : index - 1;
    }

    /// <summary>A non-empty range of 1-4 units that starts and ends on pair boundaries.</summary>
    private static (int Index, int Count) RandomRange(string units, Random random)
    {
        var index = random.Next(units.Length);
        if (!IsBoundary(units, index))
        {
            index--;
        }
        var end = Math.Min(units.Length, index + 1 + random.Next(4));
        if (!IsBoundary(units, end))
        {
            end++;
        }
        return (index, end - index);
    }

    private static void EditArray(YArray array, Random random)
    {
        var length = array.Length;
        var roll = random.Next(10);
        if (length > 0 && roll < 3)
        {
            var index = random.Next(length);
            array.Delete(index, 1 + random.Next(Math.Min(3, length - index)));
        }
        else
        {
            var content = new List<object?>();
            var count = 1 + random.Next(3);
            for (var i = 0; i < count; i++)
            {
                content.Add(random.Next(5) == 0 ? NewNestedType(random) : RandomValue(random, depth: 0));
            }
            array.Insert(random.Next(length + 1), content);
        }
    }

    private static void EditMap(YMap map, Random random)
    {
        var key = Keys[random.Next(Keys.Count)];
        var roll = random.Next(10);
        if (roll < 3)
        {
            map.Delete(key);
        }
        else if (roll < 5)
        {
            map.Set(key, NewNestedType(random));
        }
        else
        {
            map.Set(key, RandomValue(random, depth: 0));
        }
    }

    private static void EditXmlChildren(YXmlFragment fragment, Random random)
    {
        var length = fragment.Length;
        if (length > 0 && random.Next(3) == 0)
        {
            fragment.Delete(random.Next(length));
            return;
        }
        AbstractType child = random.Next(2) == 0
            ? new YXmlText(Words[random.Next(Words.Count)])
            : new YXmlElement(random.Next(2) == 0 ? "p" : "span");
        fragment.Insert(random.Next(length + 1), [child]);
    }

    private static void EditXmlAttributes(YXmlElement element, Random random)
    {
        var key = Keys[random.Next(Keys.Count)];
        if (random.Next(3) == 0)
        {
            element.RemoveAttribute(key);
        }
        else
        {
            element.SetAttribute(key, "v" + random.Next(10));
        }
    }

    private static AbstractType NewNestedType(Random random) => random.Next(3) switch
    {
        0 => new YMap(),
        1 => new YArray(),
        _ => new YText(),
    };

    /// <summary>A lib0 "any" value: every scalar kind, and small arrays and objects.</summary>
    private static object? RandomValue(Random random, int depth)
    {
        var roll = random.Next(depth < 2 ? 12 : 10);
        return roll switch
        {
            0 => null,
            1 => random.Next(2) == 0,
            2 => (long)random.Next(-1000, 1000),
            3 => random.NextInt64(-(1L << 53), 1L << 53),
            4 => random.Next(4) switch { 0 => 0.5, 1 => -1.25, 2 => 1e300, _ => random.NextDouble() },
            5 => Words[random.Next(Words.Count)],
            6 => new byte[] { (byte)random.Next(256), (byte)random.Next(256) },
            7 or 8 or 9 => "s" + random.Next(100),
            10 => new List<object?> { RandomValue(random, depth + 1), RandomValue(random, depth + 1) },
            _ => new Dictionary<string, object?>
            {
                [Keys[random.Next(Keys.Count)]] = RandomValue(random, depth + 1),
                ["k"] = RandomValue(random, depth + 1),
            },
        };
    }
}
