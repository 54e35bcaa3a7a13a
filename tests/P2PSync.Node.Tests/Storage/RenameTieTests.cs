using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Storage;

/// <summary>
/// Same-millisecond renames: the store must pick the winner exactly as the sync layer does
/// (time, then renaming device, then name), whatever order the announcements arrive in.
/// </summary>
public sealed class RenameTieTests
{
    private const string DocId = "fedcba9876543210fedcba9876543210";

    [Fact]
    public void EqualMs_LargerDeviceWins_InBothArrivalOrders_EvenWithTheSmallerName()
    {
        var (lower, higher) = TestDevices.OrderedPair(1, 2);

        // The higher device renames to the ordinally smaller name: the old store rule (ties by
        // name) would have kept "zeta" while the sync layer picked "alpha".
        var fromHigher = ("alpha", higher.ToString());
        var fromLower = ("zeta", lower.ToString());

        foreach (var order in new[] { new[] { fromHigher, fromLower }, new[] { fromLower, fromHigher } })
        {
            using var fixture = new StoreFixture();
            fixture.Documents.AcceptAnnounced(DocId, "start", 100, 100, "");
            foreach (var (name, by) in order)
            {
                fixture.Documents.AcceptAnnounced(DocId, name, 100, 500, by);
            }

            var stored = fixture.Documents.Get(DocId)!;
            Assert.Equal(("alpha", 500L, higher.ToString()), (stored.Name, stored.NameChangedMs, stored.NameChangedBy));
            fixture.Reopen();
            Assert.Equal(stored, fixture.Documents.Get(DocId));
        }
    }

    [Fact]
    public void EqualMs_Outcomes_ReportOnlyTheWinningAnnouncementAsARename()
    {
        using var fixture = new StoreFixture();
        var (lower, higher) = TestDevices.OrderedPair(3, 4);
        fixture.Documents.AcceptAnnounced(DocId, "start", 100, 100, "");

        Assert.Equal(AnnounceOutcome.Renamed, fixture.Documents.AcceptAnnounced(DocId, "b", 100, 500, lower.ToString()).Outcome);
        Assert.Equal(AnnounceOutcome.Renamed, fixture.Documents.AcceptAnnounced(DocId, "a", 100, 500, higher.ToString()).Outcome);
        Assert.Equal(AnnounceOutcome.Unchanged, fixture.Documents.AcceptAnnounced(DocId, "z", 100, 500, lower.ToString()).Outcome);

        // The same announcement again changes nothing, so re-announcing never loops.
        Assert.Equal(AnnounceOutcome.Unchanged, fixture.Documents.AcceptAnnounced(DocId, "a", 100, 500, higher.ToString()).Outcome);
        Assert.Equal("a", fixture.Documents.Get(DocId)!.Name);
    }

    [Fact]
    public void EqualMs_UnknownDeviceLosesToAnyDevice_AndIdenticalStampsGoByName()
    {
        using var fixture = new StoreFixture();
        var device = TestDevices.Make(5).ToString();
        fixture.Documents.AcceptAnnounced(DocId, "start", 100, 100, "");

        Assert.Equal(AnnounceOutcome.Renamed, fixture.Documents.AcceptAnnounced(DocId, "m", 100, 500, "").Outcome);
        Assert.Equal(AnnounceOutcome.Renamed, fixture.Documents.AcceptAnnounced(DocId, "a", 100, 500, device).Outcome);
        Assert.Equal(AnnounceOutcome.Unchanged, fixture.Documents.AcceptAnnounced(DocId, "zzz", 100, 500, "").Outcome);
        Assert.Equal(AnnounceOutcome.Renamed, fixture.Documents.AcceptAnnounced(DocId, "b", 100, 500, device).Outcome);
        Assert.Equal(AnnounceOutcome.Unchanged, fixture.Documents.AcceptAnnounced(DocId, "a", 100, 500, device).Outcome);
        Assert.Equal(("b", device), (fixture.Documents.Get(DocId)!.Name, fixture.Documents.Get(DocId)!.NameChangedBy));
    }

    [Fact]
    public void LocalRename_RecordsTheRenamingDevice_AndAStoreWithoutKeyRecordsNone()
    {
        using var fixture = new StoreFixture();
        var self = TestDevices.Make(6);
        var doc = fixture.Documents.Create("draft", self);
        Assert.Equal(self.ToString(), doc.NameChangedBy);

        fixture.Clock.Advance(10);
        var renamed = fixture.Documents.Rename(doc.Id, "final", self);
        Assert.Equal((fixture.Clock.NowMs, self.ToString()), (renamed.NameChangedMs, renamed.NameChangedBy));

        var anonymous = fixture.Documents.Rename(doc.Id, "by a tool", default);
        Assert.Equal((fixture.Clock.NowMs + 1, ""), (anonymous.NameChangedMs, anonymous.NameChangedBy));
        Assert.Equal(anonymous, fixture.Documents.Get(doc.Id));
        Assert.Equal("", fixture.Documents.Create("plain").NameChangedBy);
    }

    [Fact]
    public void LocalRename_AfterAPeersSameMsRename_WinsOverIt()
    {
        using var fixture = new StoreFixture();
        var (self, peer) = TestDevices.OrderedPair(7, 8);
        var doc = fixture.Documents.Create("draft", self);
        var now = fixture.Clock.NowMs;
        fixture.Documents.AcceptAnnounced(doc.Id, "theirs", doc.CreatedMs, now, peer.ToString());

        // Even though self sorts lower than peer, a rename made after seeing theirs is a later write.
        var mine = fixture.Documents.Rename(doc.Id, "mine", self);

        Assert.Equal(now + 1, mine.NameChangedMs);
        Assert.Equal(AnnounceOutcome.Unchanged, fixture.Documents.AcceptAnnounced(doc.Id, "theirs", doc.CreatedMs, now, peer.ToString()).Outcome);
    }

    [Theory]
    [InlineData("not a device")]
    [InlineData("ABC")]
    [InlineData(" ")]
    public void BadRenamingDevice_IsTypedError_AndChangesNothing(string changedBy)
    {
        using var fixture = new StoreFixture();
        fixture.Documents.AcceptAnnounced(DocId, "start", 100, 100, "");
        var before = fixture.Documents.Get(DocId);

        var ex = Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AcceptAnnounced(DocId, "new", 100, 900, changedBy));

        Assert.Equal("renaming device", ex.Field);
        Assert.Equal(before, fixture.Documents.Get(DocId));
    }

    [Fact]
    public void NonCanonicalSpellingOfADevice_NullDevice_AndNegativeTimes_AreTypedErrors()
    {
        using var fixture = new StoreFixture();
        var device = TestDevices.Make(9).ToString();
        var lowerCase = device.ToLowerInvariant();
        var hyphenated = device[..4] + "-" + device[4..];
        Assert.True(DeviceId.TryParse(lowerCase, out _));
        Assert.True(DeviceId.TryParse(hyphenated, out _));

        Assert.Equal("renaming device", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AcceptAnnounced(DocId, "n", 1, 1, lowerCase)).Field);
        Assert.Equal("renaming device", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AcceptAnnounced(DocId, "n", 1, 1, hyphenated)).Field);
        Assert.Equal("renaming device", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AcceptAnnounced(DocId, "n", 1, 1, null!)).Field);
        Assert.Equal("document time", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AcceptAnnounced(DocId, "n", -1, 1, device)).Field);
        Assert.Equal("document time", Assert.Throws<InvalidStoreInputException>(() => fixture.Documents.AcceptAnnounced(DocId, "n", 1, -1, device)).Field);
        Assert.Empty(fixture.Documents.List());
    }

    [Fact]
    public void MutatedRenamingDevices_AreAcceptedOnlyInCanonicalForm_OtherwiseNothingChanges()
    {
        const int seed = 20261122;
        var random = new Random(seed);
        using var fixture = new StoreFixture();
        fixture.Documents.AcceptAnnounced(DocId, "start", 100, 100, "");
        var valid = TestDevices.Make(10).ToString();
        const string symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcxyz*~$=U-IOL \u00e9\u0000";
        var ms = 1_000L;
        for (var i = 0; i < 300; i++)
        {
            var chars = valid.ToCharArray().ToList();
            switch (random.Next(3))
            {
                case 0:
                    chars[random.Next(chars.Count)] = symbols[random.Next(symbols.Length)];
                    break;
                case 1:
                    chars.RemoveAt(random.Next(chars.Count));
                    break;
                default:
                    chars.Insert(random.Next(chars.Count + 1), symbols[random.Next(symbols.Length)]);
                    break;
            }

            var mutated = new string(chars.ToArray());
            var canonical = DeviceId.TryParse(mutated, out var parsed) && parsed.ToString() == mutated;
            var before = fixture.Documents.Get(DocId);
            ms++;
            try
            {
                fixture.Documents.AcceptAnnounced(DocId, $"name {i}", 100, ms, mutated);
                Assert.True(canonical, $"seed {seed}, step {i}: accepted non-canonical '{mutated}'");
                Assert.Equal((ms, mutated), (fixture.Documents.Get(DocId)!.NameChangedMs, fixture.Documents.Get(DocId)!.NameChangedBy));
            }
            catch (InvalidStoreInputException ex)
            {
                Assert.False(canonical, $"seed {seed}, step {i}: refused canonical '{mutated}'");
                Assert.Equal("renaming device", ex.Field);
                Assert.Equal(before, fixture.Documents.Get(DocId));
            }
        }
    }

    [Fact]
    public void SeededAnnouncementsInAnyOrder_LeaveEveryStoreWithTheLargestNameVersion()
    {
        const int seed = 4242;
        var random = new Random(seed);
        var devices = new[] { "", TestDevices.Make(11).ToString(), TestDevices.Make(12).ToString(), TestDevices.Make(13).ToString() };
        for (var round = 0; round < 15; round++)
        {
            // Few names, times and devices: most announcements tie on time, many on device too.
            var announcements = Enumerable.Range(0, 8)
                .Select(_ => new NameVersion($"n{random.Next(4)}", 500 + random.Next(3), devices[random.Next(devices.Length)]))
                .ToList();
            var expected = announcements.Max();

            for (var replica = 0; replica < 3; replica++)
            {
                using var fixture = new StoreFixture();
                fixture.Documents.AcceptAnnounced(DocId, "start", 100, 100, "");
                foreach (var a in announcements.OrderBy(_ => random.Next()))
                {
                    fixture.Documents.AcceptAnnounced(DocId, a.Name, 100, a.ChangedMs, a.ChangedBy);
                }

                Assert.True(
                    expected == fixture.Documents.Get(DocId)!.NameVersion,
                    $"seed {seed}, round {round}, replica {replica}: expected {expected}, stored {fixture.Documents.Get(DocId)!.NameVersion}");
            }
        }
    }
}
