using System.Text;
using P2PSync.Node.Crypto;
using P2PSync.Node.Security.Invites;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>Golden bytes and text of a fixed invite, the lenient input rules, links, and seeded round trips.</summary>
public sealed class InviteCodecTests
{
    // Computed independently (Python hashlib.blake2b + a hand-written base32) from the layout in
    // docs/protocol/invite-code.md; a change here is a format break, not a test to update.
    internal const string GoldenCode =
        "040G0-0820C-20A1G-7104G-M2RC1-M70Y8-1148H-J8996-4WM2J-AHB5G-PJWBS-G64S3-6D1N6-RVKGE-" +
        "9T7CY-3TFHZ-01NMK-MG081-0M4GT-48N34-EJ299-95MRK-AE9X8-52MJK-AHANC-NTRB5-D5PQ2-XBSFG-" +
        "44HH7-4S2WC-9P70Q-32BHJ-60X38-C9J6C-T0YPV-6CMW3-0EHT6-5EKMD-1H68S-K80VC-ZSASR-HJDA4";

    [Fact]
    public void GoldenInviteHasTheDocumentedBytes()
    {
        // Built by hand from docs/protocol/invite-code.md, independently of InviteLayout.
        var payload = new List<byte> { 1, 1 };
        payload.AddRange(InviteSamples.Sequence(0x00, 16));
        payload.AddRange(InviteSamples.Sequence(0x20, 32));
        payload.AddRange(Convert.FromHexString("006B49D200")); // 1_800_000_000 as 40-bit big-endian
        payload.AddRange(InviteSamples.Sequence(0x40, 32));
        payload.Add(2);
        foreach (var address in InviteSamples.GoldenAddresses)
        {
            payload.Add((byte)address.Length);
            payload.AddRange(Encoding.ASCII.GetBytes(address));
        }

        var check = new byte[8];
        Sodium.Blake2b(check, payload.ToArray(), Encoding.ASCII.GetBytes("p2psync invite code v1"));
        var expected = CrockfordBase32.Encode([.. payload, .. check]);

        Assert.Equal(payload, InviteLayout.Write(InviteSamples.Golden()));
        Assert.Equal(expected, InviteCodec.Encode(InviteSamples.Golden()).Replace("-", "", StringComparison.Ordinal));
    }

    [Fact]
    public void GoldenInviteEncodesToTheGoldenCode()
    {
        Assert.Equal(GoldenCode, InviteCodec.Encode(InviteSamples.Golden()));
        Assert.Equal(InviteSamples.Golden(), InviteCodec.Decode(GoldenCode));
    }

    [Fact]
    public void CodeIsGroupedInFivesWithDashes()
    {
        var groups = GoldenCode.Split('-');
        Assert.All(groups[..^1], g => Assert.Equal(InviteCodec.GroupSize, g.Length));
        Assert.InRange(groups[^1].Length, 1, InviteCodec.GroupSize);
        Assert.All(string.Concat(groups), c => Assert.Contains(c, CrockfordBase32.Alphabet));
    }

    [Fact]
    public void InputIsCaseInsensitiveIgnoresSeparatorsAndReadsAliases()
    {
        var golden = InviteSamples.Golden();
        var bare = GoldenCode.Replace("-", "", StringComparison.Ordinal);
        Assert.Equal(golden, InviteCodec.Decode(GoldenCode.ToLowerInvariant()));
        Assert.Equal(golden, InviteCodec.Decode(bare));
        Assert.Equal(golden, InviteCodec.Decode("  " + string.Join(" ", bare.Chunk(4).Select(c => new string(c))) + "\n"));
        Assert.Equal(golden, InviteCodec.Decode(string.Join("\r\n", bare.Chunk(60).Select(c => new string(c)))));
        Assert.Equal(golden, InviteCodec.Decode(bare.Replace('0', 'O').Replace('1', 'l')));
        Assert.Equal(golden, InviteCodec.Decode(bare.Replace('1', 'I').Replace('0', 'o')));
    }

    [Fact]
    public void LinkRoundTripsAndDecodeAcceptsEitherForm()
    {
        var golden = InviteSamples.Golden();
        var url = InviteCodec.ToUrl(golden);
        Assert.Equal("p2psync://join/" + GoldenCode, url);
        Assert.Equal(golden, InviteCodec.FromUrl(url));
        Assert.Equal(golden, InviteCodec.Decode(url));
        Assert.Equal(golden, InviteCodec.FromUrl("  P2PSYNC://JOIN/" + GoldenCode.ToLowerInvariant() + " \n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://join/X")]
    [InlineData("p2psync://invite/ABC")]
    [InlineData("p2psync:/join/ABC")]
    [InlineData("join/ABC")]
    public void FromUrlRefusesTextThatIsNotAJoinLink(string text)
    {
        var error = Assert.Throws<InviteCodeException>(() => InviteCodec.FromUrl(text));
        Assert.Equal(InviteCodeProblem.NotAnInviteUrl, error.Problem);
    }

    [Fact]
    public void LinkWithADamagedCodeIsRefusedForTheCode()
    {
        var url = InviteCodec.ToUrl(InviteSamples.Golden());
        Assert.Equal(InviteCodeProblem.Incomplete, Assert.Throws<InviteCodeException>(() => InviteCodec.Decode(url[..^10])).Problem);
        Assert.Equal(InviteCodeProblem.InvalidCharacter, Assert.Throws<InviteCodeException>(() => InviteCodec.Decode(url + "?x=1")).Problem);
        Assert.Equal(InviteCodeProblem.Empty, Assert.Throws<InviteCodeException>(() => InviteCodec.FromUrl(InviteCodec.UrlPrefix)).Problem);
    }

    [Fact]
    public void SeededRandomInvitesRoundTrip()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var invite = InviteSamples.Random(new Random(seed));
            var code = InviteCodec.Encode(invite);
            var decoded = InviteCodec.Decode(code);
            Assert.True(invite == decoded, $"seed {seed}: {code} decoded to {decoded}, not {invite}");
            Assert.True(decoded.SpaceId.SequenceEqual(invite.SpaceId) && decoded.Secret.SequenceEqual(invite.Secret), $"seed {seed}");
            Assert.True(invite == InviteCodec.FromUrl(InviteCodec.ToUrl(invite)), $"seed {seed}: link did not round trip");
        }
    }

    [Fact]
    public void SmallestAndLargestInvitesRoundTrip()
    {
        var golden = InviteSamples.Golden();
        var smallest = new InviteCode(golden.SpaceId, InviteRole.Viewer, golden.Inviter, [], 0, golden.Secret);
        var longest = Enumerable.Repeat(new string('a', InviteAddress.MaxBytes - 2) + ":1", InviteAddress.MaxCount).ToArray();
        var largest = new InviteCode(golden.SpaceId, InviteRole.Editor, golden.Inviter, longest, InviteCode.MaxExpiresAtUnixSeconds, golden.Secret);

        Assert.Equal(smallest, InviteCodec.Decode(InviteCodec.Encode(smallest)));
        Assert.Equal(largest, InviteCodec.Decode(InviteCodec.Encode(largest)));
        Assert.Equal(InviteLayout.MaxBytes, InviteLayout.Write(largest).Length);

        // The sizes docs/protocol/invite-code.md quotes.
        Assert.Equal(154, InviteCodec.Encode(smallest).Replace("-", "", StringComparison.Ordinal).Length);
        Assert.Equal(3431, InviteCodec.Encode(largest).Replace("-", "", StringComparison.Ordinal).Length);
        Assert.Equal(251, GoldenCode.Length);
    }
}
