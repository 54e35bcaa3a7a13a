using System.Text;
using P2PSync.Node.Crypto;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// Turns an <see cref="InviteCode"/> into text a person can copy, paste or read out, and back.
/// See docs/protocol/invite-code.md.
/// </summary>
/// <remarks>
/// <code>
///   text = groups of 5 base32 symbols joined by '-'
///   +--------------------------------------+------------------------------------------+
///   | payload (InviteLayout, 88 + n bytes) | check: BLAKE2b-64(key="p2psync invite    |
///   |                                      |        code v1", payload), 8 bytes       |
///   +--------------------------------------+------------------------------------------+
/// </code>
/// The check is 64 bits rather than one check character so that any edit (a changed symbol, a
/// swapped pair, a cut-off tail that happens to parse) is caught with overwhelming probability,
/// not 1 in 37. It is keyed only for domain separation: it detects accidents, not forgery; the
/// join handshake's proof of the secret is what an attacker has to beat.
/// </remarks>
internal static class InviteCodec
{
    /// <summary>The link form is this prefix followed by the code.</summary>
    public const string UrlPrefix = "p2psync://join/";

    public const int ChecksumBytes = 8;

    /// <summary>Symbols between dashes: short enough to read aloud and compare at a glance.</summary>
    public const int GroupSize = 5;

    // Longer input cannot be a code (the longest is about 4,200 characters with dashes); refusing it
    // before any work keeps a pasted novel from costing anything.
    private const int MaxTextLength = 16 * 1024;

    private static readonly byte[] ChecksumKey = Encoding.ASCII.GetBytes("p2psync invite code v1");

    /// <summary>The code text: base32 of payload and checksum, grouped with dashes.</summary>
    public static string Encode(InviteCode invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var payload = InviteLayout.Write(invite);
        var bytes = new byte[payload.Length + ChecksumBytes];
        payload.CopyTo(bytes, 0);
        Sodium.Blake2b(bytes.AsSpan(payload.Length), payload, ChecksumKey);
        var symbols = CrockfordBase32.Encode(bytes);

        var text = new StringBuilder(symbols.Length + (symbols.Length / GroupSize));
        for (var i = 0; i < symbols.Length; i += GroupSize)
        {
            if (i > 0)
            {
                text.Append('-');
            }

            text.Append(symbols, i, Math.Min(GroupSize, symbols.Length - i));
        }

        return text.ToString();
    }

    /// <summary>The <c>p2psync://join/CODE</c> link for <paramref name="invite"/>.</summary>
    public static string ToUrl(InviteCode invite) => UrlPrefix + Encode(invite);

    /// <summary>
    /// Reads a code as typed or pasted: case-insensitive, dashes and white space ignored, and a
    /// <c>p2psync://join/</c> link accepted too, since people paste whichever they were sent.
    /// Expiry is not checked here (<see cref="InviteCode.IsExpired"/>).
    /// </summary>
    /// <exception cref="InviteCodeException">The text is not a complete, unaltered invite code.</exception>
    public static InviteCode Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().Trim();
        return trimmed.StartsWith("p2psync:", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(text)
            : DecodeCode(text);
    }

    /// <summary>Reads a <c>p2psync://join/CODE</c> link.</summary>
    /// <exception cref="InviteCodeException">Not such a link, or its code is refused.</exception>
    public static InviteCode FromUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var trimmed = url.AsSpan().Trim();
        if (!trimmed.StartsWith(UrlPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new InviteCodeException(InviteCodeProblem.NotAnInviteUrl, $"An invite link starts with {UrlPrefix}; this text does not.");
        }

        return DecodeCode(trimmed[UrlPrefix.Length..].ToString());
    }

    private static InviteCode DecodeCode(string text)
    {
        if (text.Length > MaxTextLength)
        {
            throw new InviteCodeException(InviteCodeProblem.TooLong, "The text is far too long to be an invite code.");
        }

        var values = ReadSymbols(text);
        if (values.Length == 0)
        {
            throw new InviteCodeException(InviteCodeProblem.Empty, "The invite code is empty.");
        }

        // Version first: a later version may change every byte after it, even the checksum.
        if (values.Length < 2)
        {
            throw Incomplete(values.Length, expectedSymbols: null);
        }

        var version = (values[0] << 3) | (values[1] >> 2);
        if (version != InviteCode.CurrentFormatVersion)
        {
            throw new InviteCodeException(
                InviteCodeProblem.UnknownVersion,
                $"The invite code has unknown version {version}; this p2psync reads version {InviteCode.CurrentFormatVersion}. Update p2psync, or check the code's first characters for a typo.");
        }

        var bytes = new byte[(values.Length * 5) / 8];
        var canonical = CrockfordBase32.TryPack(values, bytes, out _);

        // The length fields say how long the code should be; without them a cut-off code would be
        // reported as mistyped. They are unverified here, so each message admits the other cause.
        switch (InviteLayout.MeasurePayload(bytes, out var payloadLength))
        {
            case InvitePayloadMeasure.Incomplete:
                throw Incomplete(values.Length, expectedSymbols: null);
            case InvitePayloadMeasure.Impossible:
                throw Mistyped();
        }

        var expectedSymbols = CrockfordBase32.SymbolCount(payloadLength + ChecksumBytes);
        if (values.Length < expectedSymbols)
        {
            throw Incomplete(values.Length, expectedSymbols);
        }

        if (values.Length > expectedSymbols)
        {
            throw new InviteCodeException(
                InviteCodeProblem.TooLong,
                $"The invite code has {values.Length - expectedSymbols} character(s) too many at the end (or a character was mistyped).");
        }

        if (!canonical)
        {
            throw Mistyped();
        }

        var payload = bytes.AsSpan(0, payloadLength);
        Span<byte> expected = stackalloc byte[ChecksumBytes];
        Sodium.Blake2b(expected, payload, ChecksumKey);
        if (!expected.SequenceEqual(bytes.AsSpan(payloadLength, ChecksumBytes)))
        {
            throw Mistyped();
        }

        return InviteLayout.Read(payload);
    }

    private static byte[] ReadSymbols(string text)
    {
        var values = new byte[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '-' || char.IsWhiteSpace(c))
            {
                continue;
            }

            var value = CrockfordBase32.ValueOf(c);
            if (value < 0)
            {
                var shown = char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
                throw new InviteCodeException(
                    InviteCodeProblem.InvalidCharacter,
                    $"The invite code cannot contain {shown} (character {i + 1}); codes use only {CrockfordBase32.Alphabet} and '-'.");
            }

            values[count++] = (byte)value;
        }

        return values[..count];
    }

    private static InviteCodeException Incomplete(int symbols, int? expectedSymbols) =>
        new(
            InviteCodeProblem.Incomplete,
            expectedSymbols is { } expected
                ? $"The invite code is incomplete: it has {symbols} of {expected} characters. Copy the whole code (or check it for a typo)."
                : $"The invite code is incomplete: {symbols} characters are too few. Copy the whole code (or check it for a typo).");

    private static InviteCodeException Mistyped() =>
        new(InviteCodeProblem.Mistyped, "The invite code does not check out: a character was changed or mistyped. Copy it again, or ask for a new invite.");
}
