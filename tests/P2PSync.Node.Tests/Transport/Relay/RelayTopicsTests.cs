using P2PSync.Node.Hosting;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.Relay;

namespace P2PSync.Node.Tests.Transport.Relay;

public sealed class RelayTopicsTests
{
    [Fact]
    public void ATopic_Is32BytesFixedPerSpace_DifferentAcrossSpaces_AndNotTheSpaceId()
    {
        var space = SpaceId.FromBytes(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
        var other = SpaceId.FromBytes(Enumerable.Range(2, 16).Select(i => (byte)i).ToArray());

        var topic = RelayTopics.For(space);

        Assert.Equal(RelayTopics.Length, topic.Length);
        Assert.Equal(topic, RelayTopics.For(space));
        Assert.NotEqual(topic, RelayTopics.For(other));
        Assert.Equal(-1, topic.AsSpan().IndexOf(space.Bytes));
        Assert.Throws<ArgumentException>(() => RelayTopics.For(default));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8787", "ws://127.0.0.1:8787/mailbox")]
    [InlineData("http://127.0.0.1:8787/", "ws://127.0.0.1:8787/mailbox")]
    [InlineData("https://relay.example/base/", "wss://relay.example/base/mailbox")]
    [InlineData("ws://[::1]:9000", "ws://[::1]:9000/mailbox")]
    public void TheMailbox_IsAtSlashMailbox_OverWebSockets(string relay, string mailbox) =>
        Assert.Equal(new Uri(mailbox), NodeRelay.MailboxUri(new Uri(relay)));

    [Fact]
    public void ARelayThatIsNotHttpOrWs_IsRefused() =>
        Assert.Throws<ArgumentException>(() => NodeRelay.MailboxUri(new Uri("ftp://127.0.0.1/")));
}
