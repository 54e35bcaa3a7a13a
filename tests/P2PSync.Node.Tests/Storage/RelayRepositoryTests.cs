using System.Text;
using P2PSync.Node.Storage;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Storage;

public sealed class RelayRepositoryTests(ITestOutputHelper output)
{
    [Fact]
    public void Relays_AreKeptInTheOrderAdded_AndSurviveARestart()
    {
        using var fixture = new StoreFixture();
        var (first, added) = fixture.Store.Relays.Add("http://127.0.0.1:8787");
        fixture.Clock.Advance(1000);
        fixture.Store.Relays.Add("wss://relay.example/p2p");
        fixture.Reopen();

        Assert.True(added);
        Assert.Equal(new RelayRow("http://127.0.0.1:8787", fixture.Clock.NowMs - 1000), first);
        Assert.Equal(["http://127.0.0.1:8787", "wss://relay.example/p2p"], fixture.Store.Relays.List().Select(r => r.Url));
        Assert.Equal(new Uri("http://127.0.0.1:8787"), fixture.Store.Relays.First());
    }

    [Theory]
    [InlineData("HTTP://Relay.Example:80/", "http://relay.example")]
    [InlineData("  https://relay.example:443/mail/  ", "https://relay.example/mail")]
    [InlineData("ws://[::1]:8787", "ws://[::1]:8787")]
    [InlineData("wss://relay.example:9000", "wss://relay.example:9000")]
    public void Urls_AreStoredInOneSpelling(string written, string stored)
    {
        Assert.Equal(stored, RelayUrls.Normalise(written));
    }

    [Fact]
    public void AddingTheSameRelayAgain_KeepsItsPlaceAndTime_AndSaysSo()
    {
        using var fixture = new StoreFixture();
        fixture.Store.Relays.Add("http://a.example:1");
        fixture.Store.Relays.Add("http://b.example:2");
        fixture.Clock.Advance(5000);

        var (again, added) = fixture.Store.Relays.Add("HTTP://A.example:1/");

        Assert.False(added);
        Assert.Equal(fixture.Clock.NowMs - 5000, again.AddedMs);
        Assert.Equal(["http://a.example:1", "http://b.example:2"], fixture.Store.Relays.List().Select(r => r.Url));
    }

    [Fact]
    public void Remove_ForgetsTheRelay_AndTheNextOneBecomesFirst()
    {
        using var fixture = new StoreFixture();
        fixture.Store.Relays.Add("http://a.example:1");
        fixture.Store.Relays.Add("http://b.example:2");

        Assert.True(fixture.Store.Relays.Remove("http://a.example:1/"));
        Assert.False(fixture.Store.Relays.Remove("http://a.example:1"));
        Assert.Equal(new Uri("http://b.example:2"), fixture.Store.Relays.First());
        Assert.True(fixture.Store.Relays.Remove("http://b.example:2"));
        Assert.Null(fixture.Store.Relays.First());
        Assert.Empty(fixture.Store.Relays.List());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("relay.example:8787", "scheme")]
    [InlineData("not a url", "not an absolute URL")]
    [InlineData("ftp://relay.example", "scheme is ftp")]
    [InlineData("file:///tmp/relay", "not an absolute URL")]
    [InlineData("http://user:secret@relay.example", "user name or password")]
    [InlineData("http://relay.example/?token=1", "query or fragment")]
    [InlineData("http://relay.example/#x", "query or fragment")]
    public void BadUrls_AreRefusedWithTheReason_AndNothingIsStored(string url, string reason)
    {
        using var fixture = new StoreFixture();

        var refused = Assert.Throws<InvalidStoreInputException>(() => fixture.Store.Relays.Add(url));
        var notRemoved = Assert.Throws<InvalidStoreInputException>(() => fixture.Store.Relays.Remove(url));

        Assert.Equal("relay URL", refused.Field);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal(refused.Message, notRemoved.Message);
        Assert.Empty(fixture.Store.Relays.List());
    }

    [Fact]
    public void AnOverlongUrl_IsRefused()
    {
        using var fixture = new StoreFixture();

        var refused = Assert.Throws<InvalidStoreInputException>(() => fixture.Store.Relays.Add("http://relay.example/" + new string('a', RelayUrls.MaxLength)));

        Assert.Contains($"longer than {RelayUrls.MaxLength}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MutatedUrls_AreEitherStoredNormalised_OrRefusedWithAStoreInputError()
    {
        const int Seed = 20260601;
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        using var fixture = new StoreFixture();
        var original = Encoding.UTF8.GetBytes("https://relay.example:8787/mailbox-base");
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var refused = 0;
        for (var i = 0; i < 400; i++)
        {
            var text = Encoding.UTF8.GetString(Mutations.Mutate(original, random));
            try
            {
                var (row, _) = fixture.Store.Relays.Add(text);
                stored.Add(row.Url);
                // A stored URL is already in its one spelling, and parses back as an absolute URL with a host.
                Assert.Equal(row.Url, RelayUrls.Normalise(row.Url));
                Assert.True(Uri.TryCreate(row.Url, UriKind.Absolute, out var parsed) && parsed.Host.Length > 0, $"seed {Seed}, input {i}: {row.Url}");
            }
            catch (InvalidStoreInputException ex)
            {
                Assert.Equal("relay URL", ex.Field);
                refused++;
            }
        }

        // Both outcomes happen for this seed, every accepted spelling is one row, and no row has another scheme.
        Assert.True(refused > 0 && stored.Count > 0, $"seed {Seed}: {refused} refused, {stored.Count} stored");
        Assert.Equal(stored.Order(StringComparer.Ordinal), fixture.Store.Relays.List().Select(r => r.Url).Order(StringComparer.Ordinal));
        Assert.All(fixture.Store.Relays.List(), r => Assert.Contains(new Uri(r.Url).Scheme, new[] { "http", "https", "ws", "wss" }));
    }
}
