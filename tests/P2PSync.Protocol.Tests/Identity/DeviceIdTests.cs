using P2PSync.Protocol.Identity;

namespace P2PSync.Protocol.Tests.Identity;

public sealed class DeviceIdTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    // Every character a person might type into an id: the alphabet in both cases, Crockford's
    // aliases, the extra check symbols, and a few plausible slips.
    private static readonly char[] TypedCharacters =
        (Alphabet + Alphabet.ToLowerInvariant() + "OoIiLlUu*~$=" + "!@#%^&+_.,;:/?'\"<>()[]{}`|\\é")
        .Distinct().ToArray();

    [Fact]
    public void ZeroKeyHasKnownText()
    {
        var id = DeviceId.FromPublicKey(new byte[32]);
        Assert.Equal(new string('0', 53), id.ToString());
    }

    [Fact]
    public void GoldenTextForAKnownKey()
    {
        // RFC 8032 test 1 public key; text computed outside .NET (a Python one-liner) from the spec
        // in DeviceId's remarks: base32 MSB first, check weights (i mod 36) + 1, modulus 37.
        var key = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        var id = DeviceId.FromPublicKey(key);
        Assert.Equal("TXD9G0C2P45BFNABZV9WJS07787E2WQKVAK269DF08D6HXR7A4D0T", id.ToString());
        Assert.Equal("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZGH", DeviceId.FromPublicKey(Enumerable.Repeat((byte)0xFF, 32).ToArray()).ToString());
        Assert.Equal(53, id.ToString().Length);
        Assert.Equal(id, DeviceId.Parse(id.ToString()));
    }

    [Fact]
    public void RoundTripsSeededRandomKeys()
    {
        var random = new Random(20261122);
        for (var n = 0; n < 500; n++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            var id = DeviceId.FromPublicKey(key);
            var text = id.ToString();
            Assert.Equal(Reference(key), text);
            var parsed = DeviceId.Parse(text);
            Assert.Equal(id, parsed);
            Assert.Equal(key, parsed.PublicKey.ToArray());
            Assert.Equal(id.GetHashCode(), parsed.GetHashCode());
            Assert.True(DeviceId.TryParse(text, out var tried));
            Assert.Equal(id, tried);
        }
    }

    [Fact]
    public void ParsingIsCaseInsensitiveAndIgnoresDashesAndSpaces()
    {
        var id = SeededId(1);
        var text = id.ToString();
        var grouped = string.Join("-", Enumerable.Range(0, 11).Select(i => text.Substring(i * 5, Math.Min(5, text.Length - (i * 5)))));
        Assert.Equal(id, DeviceId.Parse(text.ToLowerInvariant()));
        Assert.Equal(id, DeviceId.Parse(grouped));
        Assert.Equal(id, DeviceId.Parse("  " + grouped.Replace('-', ' ') + " "));
    }

    [Fact]
    public void ReadsCrockfordAliases()
    {
        var id = DeviceId.FromPublicKey(new byte[32]);
        Assert.Equal(id, DeviceId.Parse(new string('O', 52) + "o"));
        var ones = DeviceId.Parse(ReplaceAll(SeededIdWith('1').ToString(), '1', 'l'));
        Assert.Equal(SeededIdWith('1'), ones);
        Assert.Equal(SeededIdWith('1'), DeviceId.Parse(ReplaceAll(SeededIdWith('1').ToString(), '1', 'I')));
    }

    [Fact]
    public void EverySingleCharacterTypoIsDetectedOrMeansTheSameId()
    {
        var detected = 0;
        var aliases = 0;
        for (var seed = 0; seed < 12; seed++)
        {
            var id = SeededId(seed);
            var text = id.ToString().ToCharArray();
            for (var position = 0; position < text.Length; position++)
            {
                var original = text[position];
                foreach (var typo in TypedCharacters)
                {
                    if (typo == original)
                    {
                        continue;
                    }

                    text[position] = typo;
                    var typed = new string(text);
                    text[position] = original;
                    if (DeviceId.TryParse(typed, out var parsed))
                    {
                        // Accepted only when it is the same character (other case or a Crockford alias).
                        Assert.Equal(id, parsed);
                        Assert.Equal(Canonical(original), Canonical(typo));
                        aliases++;
                    }
                    else
                    {
                        Assert.Throws<FormatException>(() => DeviceId.Parse(typed));
                        detected++;
                    }
                }
            }
        }

        Assert.True(detected > 30_000, $"only {detected} typos tried");
        Assert.True(aliases > 0);
    }

    [Fact]
    public void EveryAdjacentTranspositionOfDifferentCharactersIsDetected()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var text = SeededId(seed).ToString().ToCharArray();
            for (var i = 0; i + 1 < text.Length; i++)
            {
                if (text[i] == text[i + 1])
                {
                    continue;
                }

                (text[i], text[i + 1]) = (text[i + 1], text[i]);
                var typed = new string(text);
                (text[i], text[i + 1]) = (text[i + 1], text[i]);
                Assert.False(DeviceId.TryParse(typed, out _), $"transposition at {i} of {new string(text)} went unnoticed");
            }
        }
    }

    [Fact]
    public void DroppedOrDoubledCharactersAreDetected()
    {
        var text = SeededId(3).ToString();
        for (var i = 0; i < text.Length; i++)
        {
            Assert.Throws<FormatException>(() => DeviceId.Parse(text.Remove(i, 1)));
            Assert.Throws<FormatException>(() => DeviceId.Parse(text.Insert(i, text[i].ToString())));
        }
    }

    [Theory]
    [InlineData("", "has 0")]
    [InlineData("0000", "has 4")]
    [InlineData("not a device id at all, just some words that are long", "not a device id character")]
    public void BadTextGivesAClearFormatException(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => DeviceId.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.False(DeviceId.TryParse(text, out var id));
        Assert.True(id.IsEmpty);
    }

    [Fact]
    public void WrongCheckCharacterIsNamedInTheError()
    {
        var text = SeededId(5).ToString();
        var wrongCheck = text[..52] + (text[52] == '0' ? '1' : '0');
        var ex = Assert.Throws<FormatException>(() => DeviceId.Parse(wrongCheck));
        Assert.Contains("check character", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonZeroPaddingBitsAreRejected()
    {
        // The 52nd symbol carries one key bit and four padding bits; only 0 and G (16) are possible.
        var text = new string('0', 51) + "1";
        var withCheck = text + CheckFor(text);
        var ex = Assert.Throws<FormatException>(() => DeviceId.Parse(withCheck));
        Assert.Contains("impossible", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeededRandomGarbageOnlyEverThrowsFormatException()
    {
        var random = new Random(7);
        const string pool = Alphabet + "abcdefghijklmnopqrstuvwxyzOIL*~$=U- \t\n!é\0";
        for (var n = 0; n < 20_000; n++)
        {
            var length = random.Next(0, 70);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = pool[random.Next(pool.Length)];
            }

            var text = new string(chars);
            try
            {
                var id = DeviceId.Parse(text);
                Assert.Equal(id, DeviceId.Parse(id.ToString()));
            }
            catch (FormatException)
            {
                // Expected for nearly every random string.
            }
        }
    }

    [Fact]
    public void FromPublicKeyRejectsWrongLengths()
    {
        Assert.Throws<ArgumentException>(() => DeviceId.FromPublicKey(new byte[31]));
        Assert.Throws<ArgumentException>(() => DeviceId.FromPublicKey(new byte[33]));
    }

    [Fact]
    public void ShortStringIsTheFirstEightCharacters()
    {
        var id = SeededId(9);
        Assert.Equal(id.ToString()[..8], id.ToShortString());
    }

    [Fact]
    public void KeyBytesAreCopiedNotShared()
    {
        var key = new byte[32];
        key[0] = 42;
        var id = DeviceId.FromPublicKey(key);
        key[0] = 0;
        Assert.Equal(42, id.PublicKey.Span[0]);
        Assert.NotEqual(id, DeviceId.FromPublicKey(key));
        Assert.True(id != DeviceId.FromPublicKey(key));
    }

    [Fact]
    public void DefaultIdIsEmptyAndEqualOnlyToDefault()
    {
        DeviceId none = default;
        Assert.True(none.IsEmpty);
        Assert.Equal(0, none.PublicKey.Length);
        Assert.Equal(default, none);
        Assert.NotEqual(SeededId(1), none);
        Assert.Equal("(no device)", none.ToString());
    }

    private static DeviceId SeededId(int seed)
    {
        var key = new byte[32];
        new Random(seed).NextBytes(key);
        return DeviceId.FromPublicKey(key);
    }

    // A key whose text contains the given symbol several times (to exercise aliases).
    private static DeviceId SeededIdWith(char symbol)
    {
        for (var seed = 0; ; seed++)
        {
            var id = SeededId(seed);
            if (id.ToString()[..52].Count(c => c == symbol) >= 3)
            {
                return id;
            }
        }
    }

    private static string ReplaceAll(string text, char from, char to) => text[..52].Replace(from, to) + text[52];

    private static char Canonical(char c) => char.ToUpperInvariant(c) switch
    {
        'O' => '0',
        'I' or 'L' => '1',
        var other => other,
    };

    // An independent encoder written from the contract: big-integer style bit walk.
    private static string Reference(byte[] key)
    {
        var bits = string.Concat(key.Select(b => Convert.ToString(b, 2).PadLeft(8, '0'))) + "0000";
        var symbols = Enumerable.Range(0, 52).Select(i => Alphabet[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]).ToArray();
        return new string(symbols) + CheckFor(new string(symbols));
    }

    private static char CheckFor(string symbols)
    {
        var sum = 0;
        for (var i = 0; i < symbols.Length; i++)
        {
            sum += ((i % 36) + 1) * Alphabet.IndexOf(symbols[i], StringComparison.Ordinal);
        }

        return (Alphabet + "*~$=U")[sum % 37];
    }
}
