using System.Text;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// The rules for one inviter address inside an invite code: "host:port" (IPv6 in brackets), at
/// most <see cref="MaxBytes"/> bytes of UTF-8 so its length fits the one-byte prefix on the wire.
/// The host itself is not resolved or checked further: the joiner tries each address in turn and
/// an unreachable one only costs a failed connection attempt.
/// </summary>
internal static class InviteAddress
{
    /// <summary>Longest address in UTF-8 bytes (the wire length prefix is one byte).</summary>
    public const int MaxBytes = 255;

    /// <summary>Most addresses one invite carries: enough for every interface of a laptop, small enough to type.</summary>
    public const int MaxCount = 8;

    // Strict so that encoding a string and decoding it yields the same string: invalid UTF-16
    // (a lone surrogate) would otherwise silently become U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why <paramref name="address"/> cannot be put in an invite, or null when it can.</summary>
    public static string? FindProblem(string address)
    {
        if (address.Length == 0)
        {
            return "an address is empty";
        }

        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(address);
        }
        catch (EncoderFallbackException)
        {
            return "an address is not valid text";
        }

        if (byteCount > MaxBytes)
        {
            return $"an address is {byteCount} bytes long, the limit is {MaxBytes}";
        }

        foreach (var c in address)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"the address '{Printable(address)}' contains a space or control character";
            }
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0 || colon == address.Length - 1)
        {
            return $"the address '{Printable(address)}' is not host:port";
        }

        var port = address.AsSpan(colon + 1);
        if (port.Length > 5 || port[0] == '0' || !IsDigits(port) || int.Parse(port, provider: null) > 65535)
        {
            return $"the address '{Printable(address)}' has no valid port (1..65535)";
        }

        return null;
    }

    /// <summary>UTF-8 bytes of an address already accepted by <see cref="FindProblem"/>.</summary>
    public static byte[] ToBytes(string address) => StrictUtf8.GetBytes(address);

    /// <summary>Reads UTF-8 bytes back into an address; null when they are not valid UTF-8.</summary>
    public static string? FromBytes(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    // Error messages end up on a terminal; keep hostile text from moving the cursor or hiding.
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
