using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

public sealed class InputValidationTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("d1")]
    [InlineData("My-Doc_v2.final~")]
    public void DocumentId_Accepted(string id) => Assert.Equal(id, DocumentIds.Validate(id));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "path segment")]
    [InlineData("..", "path segment")]
    [InlineData("a/b", "'/' at position 2")]
    [InlineData("a b", "U+0020 at position 2")]
    [InlineData("tab\there", "U+0009 at position 4")]
    [InlineData("caf\u00e9", "U+00E9 at position 4")]
    [InlineData("x?y=1", "'?' at position 2")]
    public void DocumentId_RejectedWithReason(string id, string reason)
    {
        var ex = Assert.Throws<InvalidStoreInputException>(() => DocumentIds.Validate(id));

        Assert.Equal("document id", ex.Field);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.False(DocumentIds.IsWellFormed(id));
    }

    [Fact]
    public void DocumentId_LengthLimit()
    {
        Assert.Equal(128, DocumentIds.Validate(new string('a', 128)).Length);
        var ex = Assert.Throws<InvalidStoreInputException>(() => DocumentIds.Validate(new string('a', 129)));
        Assert.Contains("129", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentId_NewOnesAreValid()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.True(DocumentIds.IsWellFormed(DocumentIds.New()));
        }
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("Meeting notes 2026-11-22")]
    [InlineData("caf\u00e9 \u65e5\u672c")]
    [InlineData("emoji \ud83d\ude00 ok")]
    [InlineData("family \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67")]
    public void DocumentName_Accepted(string name) => Assert.Equal(name, DocumentNames.Validate(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "only whitespace")]
    [InlineData(" lead", "starts or ends with whitespace")]
    [InlineData("trail ", "starts or ends with whitespace")]
    [InlineData("two\nlines", "U+000A")]
    [InlineData("bell\u0007", "U+0007")]
    [InlineData("esc\u001b[31m", "U+001B")]
    [InlineData("del\u007f", "U+007F")]
    [InlineData("c1\u0085x", "U+0085")]
    [InlineData("line\u2028sep", "U+2028")]
    [InlineData("evil\u202etxt.exe", "U+202E")]
    [InlineData("iso\u2066late", "U+2066")]
    public void DocumentName_RejectedWithReason(string name, string reason)
    {
        var ex = Assert.Throws<InvalidStoreInputException>(() => DocumentNames.Validate(name));

        Assert.Equal("document name", ex.Field);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentName_BrokenSurrogatesRejected()
    {
        // Not InlineData: xunit's serialisation would replace a lone surrogate with U+FFFD.
        foreach (var (name, code) in new[] { ("lone \ud800 high", "U+D800"), ("lone \udc00 low", "U+DC00"), ("end\ud83d", "U+D83D") })
        {
            var ex = Assert.Throws<InvalidStoreInputException>(() => DocumentNames.Validate(name));
            Assert.Contains(code, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DocumentName_LengthLimit()
    {
        Assert.Equal(200, DocumentNames.Validate(new string('n', 200)).Length);
        Assert.Throws<InvalidStoreInputException>(() => DocumentNames.Validate(new string('n', 201)));
    }

    /// <summary>Seeded random strings: a name is accepted exactly when it has none of the refused characters, and the store keeps it exactly.</summary>
    [Fact]
    public void DocumentName_RandomStrings_TypedErrorOrStoredExactly()
    {
        using var fixture = new StoreFixture();
        var random = new Random(1234);
        var accepted = 0;
        for (var round = 0; round < 400; round++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) switch
                {
                    0 => (char)random.Next(0, 0x20),
                    1 => (char)random.Next(0x20, 0x7f),
                    2 => (char)random.Next(0xd7f0, 0xe010),
                    _ => (char)random.Next(0x80, 0x3000),
                };
            }

            var name = new string(chars);
            try
            {
                var created = fixture.Documents.Create(name);
                accepted++;
                Assert.Equal(name, fixture.Documents.Get(created.Id)!.Name);
            }
            catch (InvalidStoreInputException ex)
            {
                Assert.Equal("document name", ex.Field);
            }
        }

        Assert.Equal(accepted, fixture.Documents.List().Count);
        Assert.InRange(accepted, 1, 399);
    }

    [Theory]
    [InlineData("127.0.0.1:7000", "127.0.0.1:7000")]
    [InlineData("[::1]:7000", "[::1]:7000")]
    [InlineData("[0:0:0:0:0:0:0:1]:80", "[::1]:80")]
    [InlineData("laptop.local:65535", "laptop.local:65535")]
    [InlineData("my-host:1", "my-host:1")]
    public void PeerAddress_AcceptedAndNormalised(string address, string normalised) =>
        Assert.Equal(normalised, PeerAddresses.Validate(address));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("host", "HOST:PORT")]
    [InlineData(":7000", "HOST:PORT")]
    [InlineData("host:0", "1 to 65535")]
    [InlineData("host:65536", "1 to 65535")]
    [InlineData("host:-1", "1 to 65535")]
    [InlineData("host:80a", "1 to 65535")]
    [InlineData("::1:7000", "in brackets")]
    [InlineData("[::1]7000", "[IPv6]:PORT")]
    [InlineData("[127.0.0.1]:7000", "not an IPv6 address")]
    [InlineData("bad_host:7000", "valid host name")]
    [InlineData("-lead:7000", "valid host name")]
    [InlineData("300.1.1.1:7000", "valid host name")]
    [InlineData("a..b:7000", "valid host name")]
    [InlineData("ho st:7000", "valid host name")]
    public void PeerAddress_RejectedWithReason(string address, string reason)
    {
        var ex = Assert.Throws<InvalidStoreInputException>(() => PeerAddresses.Validate(address));

        Assert.Equal("peer address", ex.Field);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Seeded random address-like strings: typed error, or a normalised form that validates to itself.</summary>
    [Fact]
    public void PeerAddress_RandomStrings_TypedErrorOrStableNormalForm()
    {
        var random = new Random(77);
        const string alphabet = "0123456789abcdefABCDEF.:-[]_ %/\u0000";
        string[] seeds = ["127.0.0.1:7000", "[::1]:7000", "[fe80::1:2]:65535", "laptop.local:80", "10.1.2.3:1", "a-b.c:443"];
        var accepted = 0;
        for (var round = 0; round < 2000; round++)
        {
            // Start from a valid address and damage it a little: most results sit near the boundary.
            var chars = new List<char>(seeds[random.Next(seeds.Length)]);
            for (var edits = random.Next(0, 3); edits > 0 && chars.Count > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars.RemoveAt(at); break;
                }
            }

            var text = new string([.. chars]);
            try
            {
                var normalised = PeerAddresses.Validate(text);
                accepted++;
                Assert.Equal(normalised, PeerAddresses.Validate(normalised));
            }
            catch (InvalidStoreInputException ex)
            {
                Assert.Equal("peer address", ex.Field);
            }
        }

        Assert.InRange(accepted, 1, 1999);
    }

    /// <summary>Seeded random and mutated bytes offered as updates: rejected with a typed error or stored so that the document still loads.</summary>
    [Fact]
    public void AppendUpdate_RandomAndMutatedBytes_TypedErrorOrLoadable()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("target");
        var edits = new TextUpdates(clientId: 21);
        var good = new List<byte[]>
        {
            edits.Append("some text to damage"),
            edits.Append(" and more"),
            edits.Delete(2, 5),
        };
        foreach (var update in good)
        {
            fixture.Documents.AppendUpdate(doc.Id, update, null);
        }

        var rejected = 0;
        for (var seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var bytes = Mutations.Mutate(good[random.Next(good.Count)], random);
            var head = fixture.Documents.Get(doc.Id)!.HeadSeq;
            try
            {
                fixture.Documents.AppendUpdate(doc.Id, bytes, "fuzz");
            }
            catch (InvalidStoreInputException ex)
            {
                rejected++;
                Assert.Equal("update", ex.Field);
                Assert.True(head == fixture.Documents.Get(doc.Id)!.HeadSeq, $"seed {seed}: a rejected update changed the log");
                continue;
            }

            try
            {
                fixture.Documents.LoadDoc(doc.Id);
            }
            catch (StoreCorruptionException ex)
            {
                Assert.Fail($"seed {seed}: an accepted update made the document unloadable: {ex.Message}");
            }
        }

        Assert.True(rejected > 100, $"only {rejected} of 400 bad updates were rejected");
        // Whatever was accepted also compacts, and every good update is still part of the document.
        fixture.Documents.Compact(doc.Id);
        var stored = P2PSync.Crdt.Y.DecodeStateVector(fixture.Documents.StateVector(doc.Id));
        var written = P2PSync.Crdt.Y.DecodeStateVector(P2PSync.Crdt.Y.EncodeStateVector(edits.Doc));
        Assert.True(stored[21] >= written[21]);
    }
}
