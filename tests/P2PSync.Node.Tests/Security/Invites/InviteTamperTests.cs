using System.Text;
using P2PSync.Node.Crypto;
using P2PSync.Node.Security.Invites;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>
/// Every edit a person or a mangling chat client can make to a code is refused, and only ever with
/// <see cref="InviteCodeException"/>: substitutions, swaps, truncations, additions, garbage, seeded
/// mutations, and forged payloads whose checksum is right but whose fields are not.
/// </summary>
public sealed class InviteTamperTests
{
    private static readonly string Golden = InviteCodecTests.GoldenCode;
    private static readonly string GoldenSymbols = Golden.Replace("-", "", StringComparison.Ordinal);

    [Fact]
    public void EverySingleCharacterSubstitutionIsRefused()
    {
        var problems = new HashSet<InviteCodeProblem>();
        for (var i = 0; i < GoldenSymbols.Length; i++)
        {
            foreach (var replacement in CrockfordBase32.Alphabet.Where(c => c != GoldenSymbols[i]))
            {
                var edited = GoldenSymbols[..i] + replacement + GoldenSymbols[(i + 1)..];
                problems.Add(AssertRefused(edited, $"'{replacement}' at {i}").Problem);
            }

            foreach (var invalid in "U*!é")
            {
                var edited = GoldenSymbols[..i] + invalid + GoldenSymbols[(i + 1)..];
                var error = AssertRefused(edited, $"'{invalid}' at {i}");
                Assert.Equal(InviteCodeProblem.InvalidCharacter, error.Problem);
                Assert.Contains($"character {i + 1}", error.Message, StringComparison.Ordinal);
            }
        }

        // Edits in the version symbols say so; everywhere else the checksum (or a length) catches them.
        Assert.Contains(InviteCodeProblem.UnknownVersion, problems);
        Assert.Contains(InviteCodeProblem.Mistyped, problems);
    }

    [Fact]
    public void EveryAdjacentSwapIsRefused()
    {
        var swaps = 0;
        for (var i = 0; i + 1 < GoldenSymbols.Length; i++)
        {
            if (GoldenSymbols[i] == GoldenSymbols[i + 1])
            {
                continue;
            }

            var chars = GoldenSymbols.ToCharArray();
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            AssertRefused(new string(chars), $"swap at {i}");
            swaps++;
        }

        Assert.True(swaps > 150, $"only {swaps} distinct swaps were tried");
    }

    [Fact]
    public void EveryTruncationIsRefused()
    {
        for (var length = 0; length < Golden.Length; length++)
        {
            var head = AssertRefused(Golden[..length], $"first {length} characters");
            Assert.True(
                head.Problem is InviteCodeProblem.Incomplete or InviteCodeProblem.Empty,
                $"first {length} characters: {head.Problem}: {head.Message}");

            // Losing the start of the code (a bad selection) must be caught too.
            AssertRefused(Golden[(Golden.Length - length)..], $"last {length} characters");
        }
    }

    [Fact]
    public void ExtraCharactersAreRefused()
    {
        foreach (var extra in CrockfordBase32.Alphabet)
        {
            var error = AssertRefused(Golden + extra, $"appended '{extra}'");
            Assert.Equal(InviteCodeProblem.TooLong, error.Problem);
        }

        AssertRefused(Golden + "-" + Golden[..5], "a repeated group");
        AssertRefused(Golden + Golden, "the code twice");
        Assert.Equal(InviteCodeProblem.TooLong, AssertRefused(new string('0', 20_000), "a huge input").Problem);
    }

    [Fact]
    public void SeparatorsAloneAndEmptyTextAreEmpty()
    {
        foreach (var text in new[] { "", " ", "-----", " - \t\n", "p2psync://join/" })
        {
            Assert.Equal(InviteCodeProblem.Empty, AssertRefused(text, $"'{text}'").Problem);
        }
    }

    [Fact]
    public void RandomGarbageIsRefused()
    {
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var length = random.Next(0, 400);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = (seed % 3) switch
                {
                    0 => CrockfordBase32.Alphabet[random.Next(32)],
                    1 => (char)random.Next(0x20, 0x7F),
                    _ => (char)random.Next(0, 0x10000),
                };
            }

            // One in three starts like a genuine code, so the garbage reaches the checksum.
            var text = seed % 3 == 0 ? "040G0" + new string(chars) : new string(chars);
            AssertRefused(text, $"seed {seed}");
        }
    }

    [Fact]
    public void SeededMutationsAreRefusedUnlessTheyChangeNothing()
    {
        const string Edits = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcxyzOoIiLlU- *\n";
        var harmless = 0;
        for (var seed = 0; seed < 4000; seed++)
        {
            var random = new Random(seed);
            var invite = seed % 2 == 0 ? InviteSamples.Golden() : InviteSamples.Random(random);
            var original = InviteCodec.Encode(invite);
            var text = new StringBuilder(original);
            for (var edit = random.Next(1, 5); edit > 0; edit--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(5))
                {
                    case 0:
                        text[at] = Edits[random.Next(Edits.Length)];
                        break;
                    case 1:
                        text.Insert(at, Edits[random.Next(Edits.Length)]);
                        break;
                    case 2 when text.Length > 1:
                        text.Remove(at, 1);
                        break;
                    case 3 when at + 1 < text.Length:
                        (text[at], text[at + 1]) = (text[at + 1], text[at]);
                        break;
                    default:
                        text.Insert(at, text.ToString(at, Math.Min(5, text.Length - at)));
                        break;
                }
            }

            var mutated = text.ToString();
            if (InviteSamples.Normalize(mutated) == InviteSamples.Normalize(original))
            {
                // Case, aliases and separators carry no meaning: such an edit must still decode.
                Assert.True(invite == InviteCodec.Decode(mutated), $"seed {seed}: harmless edit '{mutated}' changed the invite");
                harmless++;
                continue;
            }

            AssertRefused(mutated, $"seed {seed}");
        }

        Assert.True(harmless < 2000, "almost no mutation changed the code; the test is not testing");
    }

    [Fact]
    public void NonZeroPaddingBitsAreRefused()
    {
        // 131 bytes need 210 symbols = 1050 bits: the last symbol's two low bits must be zero.
        var last = CrockfordBase32.ValueOf(GoldenSymbols[^1]);
        Assert.Equal(0, last & 0b11);
        var edited = GoldenSymbols[..^1] + CrockfordBase32.Alphabet[last | 1];
        Assert.Equal(InviteCodeProblem.Mistyped, AssertRefused(edited, "padding bit").Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void OtherVersionsAreRefusedAsUnknown(byte version)
    {
        var payload = InviteLayout.Write(InviteSamples.Golden());
        payload[0] = version;
        var error = AssertRefused(WithChecksum(payload), $"version {version}");
        Assert.Equal(InviteCodeProblem.UnknownVersion, error.Problem);
        Assert.Contains($"version {version}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(200)]
    public void ForgedRolesAreMalformed(byte role)
    {
        var payload = InviteLayout.Write(InviteSamples.Golden());
        payload[InviteLayout.RoleOffset] = role;
        Assert.Equal(InviteCodeProblem.Malformed, AssertRefused(WithChecksum(payload), $"role {role}").Problem);
    }

    [Fact]
    public void ForgedExpiryBeyondYear9999IsMalformed()
    {
        var payload = InviteLayout.Write(InviteSamples.Golden());
        payload.AsSpan(InviteLayout.ExpiryOffset, InviteLayout.ExpiryBytes).Fill(0xFF);
        Assert.Equal(InviteCodeProblem.Malformed, AssertRefused(WithChecksum(payload), "expiry").Problem);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28, 0x3A, 0x31 })] // invalid UTF-8
    [InlineData(new byte[] { 0x68, 0x6F, 0x73, 0x74 })] // "host": no port
    [InlineData(new byte[] { 0x68, 0x20, 0x3A, 0x31 })] // "h :1": a space
    [InlineData(new byte[] { 0x68, 0x3A, 0x30, 0x30 })] // "h:00": port zero
    public void ForgedAddressesAreMalformed(byte[] address)
    {
        var payload = new List<byte>(InviteLayout.Write(InviteSamples.Golden())[..InviteLayout.FixedBytes]);
        payload[InviteLayout.AddressCountOffset] = 1;
        payload.Add((byte)address.Length);
        payload.AddRange(address);
        Assert.Equal(InviteCodeProblem.Malformed, AssertRefused(WithChecksum([.. payload]), Convert.ToHexString(address)).Problem);
    }

    [Fact]
    public void ImpossibleLengthFieldsAreRefusedAsMistyped()
    {
        var nine = InviteLayout.Write(InviteSamples.Golden());
        nine[InviteLayout.AddressCountOffset] = 9;
        Assert.Equal(InviteCodeProblem.Mistyped, AssertRefused(WithChecksum(nine), "nine addresses").Problem);

        var emptyAddress = InviteLayout.Write(InviteSamples.Golden());
        emptyAddress[InviteLayout.FixedBytes] = 0;
        Assert.Equal(InviteCodeProblem.Mistyped, AssertRefused(WithChecksum(emptyAddress), "empty address").Problem);
    }

    [Fact]
    public void DecodeOfNullIsAnArgumentError()
    {
        Assert.Throws<ArgumentNullException>(() => InviteCodec.Decode(null!));
        Assert.Throws<ArgumentNullException>(() => InviteCodec.FromUrl(null!));
    }

    // The checksum as the format document defines it, so forged payloads get past it and reach the field checks.
    private static string WithChecksum(byte[] payload)
    {
        var check = new byte[InviteCodec.ChecksumBytes];
        Sodium.Blake2b(check, payload, Encoding.ASCII.GetBytes("p2psync invite code v1"));
        return CrockfordBase32.Encode([.. payload, .. check]);
    }

    private static InviteCodeException AssertRefused(string text, string what)
    {
        InviteCode? accepted = null;
        Exception? thrown = null;
        try
        {
            accepted = InviteCodec.Decode(text);
        }
        catch (Exception error)
        {
            thrown = error;
        }

        Assert.True(accepted is null, $"{what}: '{text}' was accepted as {accepted}");
        var refusal = Assert.IsType<InviteCodeException>(thrown, exactMatch: true);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message), $"{what}: no message");
        return refusal;
    }
}
