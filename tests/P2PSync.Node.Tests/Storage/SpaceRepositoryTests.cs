using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

public sealed class SpaceRepositoryTests
{
    [Fact]
    public void Insert_AppendEntries_PutKey_ListSpacesReturnsEverythingAfterARestart()
    {
        using var fixture = new StoreFixture();
        var personal = StoreIds.Space(1);
        var shared = StoreIds.Space(2);
        fixture.Store.Spaces.Insert(personal, "personal", 100, personal: true);
        fixture.Store.Spaces.Insert(shared, "Band notes", 200, personal: false);

        Assert.Equal(2, fixture.Store.Spaces.AppendEntries(shared, [[1, 2, 3], [4, 5]]));
        Assert.Equal(3, fixture.Store.Spaces.AppendEntries(shared, [[6]], expectedFirstSeq: 2));
        fixture.Store.Spaces.PutKey(shared, 1, [9, 9]);
        fixture.Store.Spaces.PutKey(shared, 0, [8, 8]);
        fixture.Store.Spaces.AppendEntries(personal, [[7]]);
        fixture.Reopen();

        Assert.Equal(
            new[]
            {
                new SpaceRow(personal, "personal", 100, true, [[7]], []),
                new SpaceRow(shared, "Band notes", 200, false, [[1, 2, 3], [4, 5], [6]], [new SpaceKeyRow(0, [8, 8]), new SpaceKeyRow(1, [9, 9])]),
            },
            fixture.Store.Spaces.ListSpaces());
    }

    [Fact]
    public void ListSpaces_OnAnEmptyStore_IsEmpty()
    {
        using var fixture = new StoreFixture();
        Assert.Empty(fixture.Store.Spaces.ListSpaces());
    }

    [Fact]
    public void PutKey_SameEpochAgain_ReplacesTheProtectedBytes()
    {
        using var fixture = new StoreFixture();
        var id = StoreIds.Space(1);
        fixture.Store.Spaces.Insert(id, "s", 1, false);
        fixture.Store.Spaces.PutKey(id, 3, [1]);
        fixture.Store.Spaces.PutKey(id, 3, [2]);

        Assert.Equal([new SpaceKeyRow(3, [2])], Assert.Single(fixture.Store.Spaces.ListSpaces()).Keys);
    }

    [Fact]
    public void Insert_SameIdTwice_IsRefusedAndKeepsTheFirst()
    {
        using var fixture = new StoreFixture();
        var id = StoreIds.Space(1);
        fixture.Store.Spaces.Insert(id, "first", 1, false);

        var error = Assert.Throws<InvalidStoreInputException>(() => fixture.Store.Spaces.Insert(id, "second", 2, true));

        Assert.Equal("space id", error.Field);
        Assert.Equal("first", Assert.Single(fixture.Store.Spaces.ListSpaces()).Name);
    }

    [Fact]
    public void AppendEntries_AtTheWrongSeq_IsRefusedAndStoresNothing()
    {
        using var fixture = new StoreFixture();
        var id = StoreIds.Space(1);
        fixture.Store.Spaces.Insert(id, "s", 1, false);
        fixture.Store.Spaces.AppendEntries(id, [[1]]);

        var stale = Assert.Throws<InvalidStoreInputException>(() => fixture.Store.Spaces.AppendEntries(id, [[1], [2]], expectedFirstSeq: 0));
        Assert.Throws<InvalidStoreInputException>(() => fixture.Store.Spaces.AppendEntries(id, [[3]], expectedFirstSeq: 5));

        Assert.Contains("holds 1 entries", stale.Message);
        Assert.Equal([[1]], Assert.Single(fixture.Store.Spaces.ListSpaces()).Entries);
    }

    [Fact]
    public void EntriesAndKeys_OfAnUnknownSpace_AreRefusedWithSpaceNotFound()
    {
        using var fixture = new StoreFixture();
        var unknown = StoreIds.Space(9);

        var error = Assert.Throws<SpaceNotFoundException>(() => fixture.Store.Spaces.AppendEntries(unknown, [[1]]));
        Assert.Throws<SpaceNotFoundException>(() => fixture.Store.Spaces.PutKey(unknown, 0, [1]));

        Assert.Equal(Convert.ToHexStringLower(unknown), error.SpaceIdHex);
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM space_entries"));
        Assert.Equal(0L, fixture.Scalar("SELECT COUNT(*) FROM space_keys"));
    }

    [Fact]
    public void BadInput_IsRefusedWithTheFieldNamed_AndWritesNothing()
    {
        using var fixture = new StoreFixture();
        var id = StoreIds.Space(1);
        fixture.Store.Spaces.Insert(id, "s", 1, false);
        var spaces = fixture.Store.Spaces;

        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => spaces.Insert(new byte[15], "s", 1, false)).Field);
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => spaces.Insert(new byte[17], "s", 1, false)).Field);
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => spaces.Insert(null!, "s", 1, false)).Field);
        Assert.Equal("space name", Assert.Throws<InvalidStoreInputException>(() => spaces.Insert(StoreIds.Space(2), "", 1, false)).Field);
        Assert.Equal("space name", Assert.Throws<InvalidStoreInputException>(() => spaces.Insert(StoreIds.Space(2), "a\nb", 1, false)).Field);
        Assert.Equal("space creation time", Assert.Throws<InvalidStoreInputException>(() => spaces.Insert(StoreIds.Space(2), "s", -1, false)).Field);
        Assert.Equal("membership entry list", Assert.Throws<InvalidStoreInputException>(() => spaces.AppendEntries(id, [])).Field);
        Assert.Equal("membership entry", Assert.Throws<InvalidStoreInputException>(() => spaces.AppendEntries(id, [[1], []])).Field);
        Assert.Equal("membership entry", Assert.Throws<InvalidStoreInputException>(() => spaces.AppendEntries(id, [new byte[StoreBlobs.MaxSmallBlobBytes + 1]])).Field);
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => spaces.AppendEntries(new byte[4], [[1]])).Field);
        Assert.Equal("protected space key", Assert.Throws<InvalidStoreInputException>(() => spaces.PutKey(id, 0, [])).Field);
        Assert.Equal("protected space key", Assert.Throws<InvalidStoreInputException>(() => spaces.PutKey(id, 0, null!)).Field);
        Assert.Equal("key epoch", Assert.Throws<InvalidStoreInputException>(() => spaces.PutKey(id, ulong.MaxValue, [1])).Field);
        Assert.Equal("space id", Assert.Throws<InvalidStoreInputException>(() => spaces.PutKey(new byte[32], 0, [1])).Field);
        Assert.Throws<ArgumentNullException>(() => spaces.AppendEntries(id, null!));

        var row = Assert.Single(spaces.ListSpaces());
        Assert.Empty(row.Entries);
        Assert.Empty(row.Keys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ArbitraryBytes_RoundTripExactly_SeededNoise(int seed)
    {
        // The store is byte-level: whatever the host hands it must come back bit for bit.
        var random = new Random(seed);
        using var fixture = new StoreFixture();
        var id = StoreIds.Bytes(random.Next(), 16);
        fixture.Store.Spaces.Insert(id, "noise", 1, false);
        var entries = Enumerable.Range(0, 20).Select(_ => StoreIds.Bytes(random.Next(), random.Next(1, 300))).ToList();
        var key = StoreIds.Bytes(random.Next(), random.Next(1, StoreBlobs.MaxSmallBlobBytes));
        fixture.Store.Spaces.AppendEntries(id, entries);
        fixture.Store.Spaces.PutKey(id, (ulong)random.NextInt64(0, long.MaxValue), key);

        var row = Assert.Single(fixture.Store.Spaces.ListSpaces());

        Assert.True(row.Entries.Zip(entries).All(p => p.First.AsSpan().SequenceEqual(p.Second)) && row.Entries.Count == entries.Count, $"seed {seed}");
        Assert.True(row.Keys[0].ProtectedKey.AsSpan().SequenceEqual(key), $"seed {seed}");
    }

    [Fact]
    public void ListSpaces_WithAGapInStoredEntries_ReportsCorruptionAndLeavesTheRows()
    {
        using var fixture = new StoreFixture();
        var id = StoreIds.Space(1);
        fixture.Store.Spaces.Insert(id, "s", 1, false);
        fixture.Store.Spaces.AppendEntries(id, [[1], [2]]);
        fixture.Execute("DELETE FROM space_entries WHERE seq = 0");

        var error = Assert.Throws<StoreCorruptionException>(() => fixture.Store.Spaces.ListSpaces());

        Assert.Contains("entry seq 1 where 0 was expected", error.Message);
        Assert.Equal(1L, fixture.Scalar("SELECT COUNT(*) FROM space_entries"));
    }

    [Fact]
    public void ListSpaces_WithAKeyOfNoStoredSpace_ReportsCorruption()
    {
        using var fixture = new StoreFixture();
        fixture.Store.Spaces.Insert(StoreIds.Space(1), "s", 1, false);

        // Only possible behind the store's back, with foreign keys switched off.
        fixture.Execute("PRAGMA foreign_keys = OFF; INSERT INTO space_keys (space_id, epoch, protected_key) VALUES (x'00', 0, x'01')");

        var error = Assert.Throws<StoreCorruptionException>(() => fixture.Store.Spaces.ListSpaces());

        Assert.Contains("space_keys", error.Message);
    }
}
