using System.Diagnostics.CodeAnalysis;

namespace P2PSync.Protocol.Identity;

/// <summary>
/// The identity of a device: its 32-byte Ed25519 public key, written for humans as 52 Crockford
/// base32 symbols plus one check character (53 characters), so a mistyped id is caught instead of
/// silently naming another device.
/// </summary>
/// <remarks>
/// Text form (see docs/protocol/noise-channel.md, "DeviceId"):
/// <code>
///   +---------------------------------------------+---+
///   | 52 symbols: base32(32 key bytes), MSB first |chk|
///   +---------------------------------------------+---+
///   alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ (no I L O U); 260 bits, the last 4 are zero
///   chk = (sum over i of w_i * value_i) mod 37, w_i = (i mod 36) + 1, i = 0..51
///   check alphabet = the 32 symbols followed by * ~ $ = U
/// </code>
/// The weights stay in 1..36 because 37 is prime: every weight is then invertible mod 37, so
/// any single changed symbol (value change 1..31) moves the sum and the check no longer matches.
/// (Plain i+1 would give the 37th symbol weight 37 = 0 mod 37 and leave it unchecked.)
/// Parsing is case-insensitive, reads O as 0 and I/L as 1 (Crockford's aliases), and ignores
/// '-' and spaces so ids can be grouped for reading aloud.
/// </remarks>
public readonly struct DeviceId : IEquatable<DeviceId>
{
    /// <summary>Length of an Ed25519 public key.</summary>
    public const int KeyLength = 32;

    /// <summary>Symbols that encode the key.</summary>
    public const int SymbolCount = 52;

    /// <summary>Length of <see cref="ToString"/>: the key symbols plus the check character.</summary>
    public const int TextLength = SymbolCount + 1;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string CheckAlphabet = Alphabet + "*~$=U";
    private const int CheckModulus = 37;

    private readonly byte[]? _key;

    private DeviceId(byte[] key) => _key = key;

    /// <summary>The 32-byte Ed25519 public key (empty for <c>default</c>).</summary>
    public ReadOnlyMemory<byte> PublicKey => _key;

    /// <summary>True for <c>default(DeviceId)</c>, which names no device.</summary>
    public bool IsEmpty => _key is null;

    /// <summary>The id of the device whose Ed25519 public key is <paramref name="publicKey"/>.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static DeviceId FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != KeyLength)
        {
            throw new ArgumentException($"An Ed25519 public key is {KeyLength} bytes, not {publicKey.Length}.", nameof(publicKey));
        }

        return new DeviceId(publicKey.ToArray());
    }

    /// <summary>Reads a device id typed or pasted by a person.</summary>
    /// <exception cref="FormatException">Wrong length, a symbol outside the alphabet, or a check character that does not match.</exception>
    public static DeviceId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryDecode(text, out var id, out var problem) ? id : throw new FormatException(problem);
    }

    /// <summary>Like <see cref="Parse"/>, but returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DeviceId id)
    {
        if (text is null)
        {
            id = default;
            return false;
        }

        return TryDecode(text, out id, out _);
    }

    /// <summary>The 53-character text form.</summary>
    public override string ToString()
    {
        if (_key is null)
        {
            return "(no device)";
        }

        Span<char> text = stackalloc char[TextLength];
        var values = new int[SymbolCount];
        for (var i = 0; i < SymbolCount; i++)
        {
            values[i] = ReadFiveBits(_key, i);
            text[i] = Alphabet[values[i]];
        }

        text[SymbolCount] = CheckAlphabet[CheckValue(values)];
        return new string(text);
    }

    /// <summary>The first 8 characters: enough to tell devices apart in logs, too short to trust.</summary>
    public string ToShortString() => _key is null ? ToString() : ToString()[..8];

    public bool Equals(DeviceId other) => PublicKey.Span.SequenceEqual(other.PublicKey.Span);

    public override bool Equals(object? obj) => obj is DeviceId other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(PublicKey.Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(DeviceId left, DeviceId right) => left.Equals(right);

    public static bool operator !=(DeviceId left, DeviceId right) => !left.Equals(right);

    private static bool TryDecode(string text, out DeviceId id, out string problem)
    {
        id = default;
        var values = new int[SymbolCount];
        var count = 0;
        var checkValue = -1;
        foreach (var raw in text)
        {
            if (raw is '-' or ' ')
            {
                continue;
            }

            if (count > SymbolCount)
            {
                problem = $"A device id has {TextLength} characters (not counting '-' and spaces); '{text}' has more.";
                return false;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (count < SymbolCount)
            {
                var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
                if (value < 0)
                {
                    problem = $"'{raw}' at position {count + 1} is not a device id character (allowed: {Alphabet}).";
                    return false;
                }

                values[count] = value;
            }
            else
            {
                checkValue = CheckAlphabet.IndexOf(c, StringComparison.Ordinal);
                if (checkValue < 0)
                {
                    problem = $"'{raw}' is not a valid check character (the last character of a device id).";
                    return false;
                }
            }

            count++;
        }

        if (count != TextLength)
        {
            problem = $"A device id has {TextLength} characters (not counting '-' and spaces); '{text}' has {count}.";
            return false;
        }

        // 52 symbols carry 260 bits; the 4 beyond the key must be zero or two texts would name one key.
        if ((values[SymbolCount - 1] & 0b1111) != 0)
        {
            problem = $"'{text}' is not a device id: its last key character is impossible for a 32-byte key (check for a typo).";
            return false;
        }

        if (CheckValue(values) != checkValue)
        {
            problem = $"'{text}' is not a device id: the check character does not match (check for a typo).";
            return false;
        }

        var key = new byte[KeyLength];
        for (var i = 0; i < SymbolCount; i++)
        {
            WriteFiveBits(key, i, values[i]);
        }

        id = new DeviceId(key);
        problem = "";
        return true;
    }

    private static int CheckValue(int[] values)
    {
        var sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += ((i % (CheckModulus - 1)) + 1) * values[i];
        }

        return sum % CheckModulus;
    }

    // Symbol i covers key bits [5i, 5i+5), most significant bit first; bits past the key read as 0.
    private static int ReadFiveBits(byte[] key, int symbol)
    {
        var value = 0;
        for (var b = 0; b < 5; b++)
        {
            var bit = (symbol * 5) + b;
            var set = bit < KeyLength * 8 && (key[bit >> 3] & (0x80 >> (bit & 7))) != 0;
            value = (value << 1) | (set ? 1 : 0);
        }

        return value;
    }

    private static void WriteFiveBits(byte[] key, int symbol, int value)
    {
        for (var b = 0; b < 5; b++)
        {
            var bit = (symbol * 5) + b;
            if (bit < KeyLength * 8 && (value & (0x10 >> b)) != 0)
            {
                key[bit >> 3] |= (byte)(0x80 >> (bit & 7));
            }
        }
    }
}
