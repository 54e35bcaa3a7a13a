using P2PSync.Node.Security.Invites;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>The record refuses impossible fields, copies its bytes, hides its secret, and knows when it expires.</summary>
public sealed class InviteCodeTests
{
    private static readonly InviteCode Golden = InviteSamples.Golden();

    [Fact]
    public void ExpiryIsSeparateFromDecodingAndInclusive()
    {
        var expiry = DateTimeOffset.FromUnixTimeSeconds(InviteSamples.GoldenExpiry);
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 8, 0, 0, TimeSpan.Zero), expiry);
        Assert.Equal(expiry, Golden.ExpiresAt);
        Assert.False(Golden.IsExpired(expiry.AddTicks(-1)));
        Assert.True(Golden.IsExpired(expiry));
        Assert.True(Golden.IsExpired(expiry.AddDays(1)));
        Assert.False(Golden.IsExpired(expiry.ToOffset(TimeSpan.FromHours(5)).AddSeconds(-1)));

        // An expired code still decodes: the caller decides what to tell the user.
        Assert.True(InviteCodec.Decode(InviteCodec.Encode(Golden)).IsExpired(expiry.AddYears(1)));
    }

    [Fact]
    public void EqualityComparesContentsAndInputsAreCopied()
    {
        var spaceId = InviteSamples.Sequence(0x00, 16);
        var secret = InviteSamples.Sequence(0x40, 32);
        var addresses = new List<string>(InviteSamples.GoldenAddresses);
        var invite = new InviteCode(spaceId, InviteRole.Editor, Golden.Inviter, addresses, InviteSamples.GoldenExpiry, secret);
        spaceId[0] ^= 1;
        secret[0] ^= 1;
        addresses.Clear();

        Assert.Equal(Golden, invite);
        Assert.Equal(Golden.GetHashCode(), invite.GetHashCode());
        Assert.Equal(InviteSamples.GoldenAddresses, invite.InviterAddresses);
        Assert.NotEqual(Golden, new InviteCode(Golden.SpaceId, InviteRole.Editor, Golden.Inviter, InviteSamples.GoldenAddresses, InviteSamples.GoldenExpiry, secret));
        Assert.NotEqual(Golden, new InviteCode(Golden.SpaceId, InviteRole.Viewer, Golden.Inviter, InviteSamples.GoldenAddresses, InviteSamples.GoldenExpiry, Golden.Secret));
        Assert.NotEqual(Golden, new InviteCode(Golden.SpaceId, InviteRole.Editor, Golden.Inviter, InviteSamples.GoldenAddresses[..1], InviteSamples.GoldenExpiry, Golden.Secret));
    }

    [Fact]
    public void PrintedFormNeverShowsTheSecret()
    {
        var printed = Golden.ToString();
        Assert.Contains("Editor", printed, StringComparison.Ordinal);
        Assert.Contains("(hidden)", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(Golden.Secret), printed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(Golden.Secret[..4]), printed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WrongSizedBytesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => With(spaceId: new byte[15]));
        Assert.Throws<ArgumentException>(() => With(spaceId: new byte[17]));
        Assert.Throws<ArgumentException>(() => With(secret: new byte[31]));
        Assert.Throws<ArgumentException>(() => With(secret: []));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void OnlyEditorAndViewerCanBeInvited(byte role)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => With(role: (InviteRole)role));
    }

    [Fact]
    public void OtherFieldsOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new InviteCode(Golden.SpaceId, InviteRole.Editor, default(DeviceId), [], 0, Golden.Secret));
        Assert.Throws<ArgumentOutOfRangeException>(() => With(expiry: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => With(expiry: InviteCode.MaxExpiresAtUnixSeconds + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InviteCode(Golden.SpaceId, InviteRole.Editor, Golden.Inviter, [], 0, Golden.Secret, formatVersion: 2));
        Assert.Throws<ArgumentException>(() => With(addresses: Enumerable.Repeat("h:1", InviteAddress.MaxCount + 1).ToArray()));
        Assert.Throws<ArgumentNullException>(() => With(addresses: [null!]));
        Assert.Equal(InviteAddress.MaxCount, With(addresses: Enumerable.Repeat("h:1", InviteAddress.MaxCount).ToArray()).InviterAddresses.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData(":80")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:080")]
    [InlineData("host:65536")]
    [InlineData("host:99999999999")]
    [InlineData("host:-1")]
    [InlineData("host:+80")]
    [InlineData("ho st:80")]
    [InlineData("host:80\n")]
    [InlineData("host\u0007:80")]
    public void BadAddressesAreRefused(string address)
    {
        Assert.NotNull(InviteAddress.FindProblem(address));
        Assert.Throws<ArgumentException>(() => With(addresses: [address]));
    }

    [Fact]
    public void LoneSurrogateAddressIsRefused()
    {
        // Not a theory: xUnit would turn the lone surrogate into U+FFFD on the way in.
        var address = "\ud800host:80";
        Assert.NotNull(InviteAddress.FindProblem(address));
        Assert.Throws<ArgumentException>(() => With(addresses: [address]));
    }

    [Theory]
    [InlineData("192.168.1.20:41234")]
    [InlineData("[fe80::1%eth0]:1")]
    [InlineData("laptop.local:65535")]
    [InlineData("höst.lokal:8080")]
    public void GoodAddressesAreKept(string address)
    {
        Assert.Null(InviteAddress.FindProblem(address));
        Assert.Equal([address], InviteCodec.Decode(InviteCodec.Encode(With(addresses: [address]))).InviterAddresses);
    }

    [Fact]
    public void AddressLimitIsCountedInUtf8Bytes()
    {
        var longest = new string('h', InviteAddress.MaxBytes - 2) + ":1";
        Assert.Null(InviteAddress.FindProblem(longest));
        Assert.NotNull(InviteAddress.FindProblem("h" + longest));

        // 'ö' is two bytes: 127 of them plus ":1" is 256 bytes though only 129 characters.
        Assert.NotNull(InviteAddress.FindProblem(new string('ö', 127) + ":1"));
    }

    private static InviteCode With(
        byte[]? spaceId = null, InviteRole role = InviteRole.Editor, string[]? addresses = null, long expiry = InviteSamples.GoldenExpiry, byte[]? secret = null) =>
        new(spaceId ?? Golden.SpaceId.ToArray(), role, Golden.Inviter, addresses ?? InviteSamples.GoldenAddresses, expiry, secret ?? Golden.Secret.ToArray());
}
