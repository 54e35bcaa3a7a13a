using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Blobs damaged on disk give a typed error naming doc and seq, and are never deleted or rewritten.</summary>
public sealed class CorruptStoredDataTests
{
    [Fact]
    public void CorruptLogEntry_LoadAndCompactNameDocAndSeq_AndDestroyNothing()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 1);
        for (var i = 0; i < 4; i++)
        {
            fixture.Documents.AppendUpdate(doc.Id, edits.Append($"part{i} "), null);
        }

        var garbage = new byte[] { 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f };
        fixture.Execute("UPDATE update_log SET update_v1 = $b WHERE seq = 3", ("$b", garbage));
        var before = Snapshot(fixture);

        var load = Assert.Throws<StoreCorruptionException>(() => fixture.Documents.LoadDoc(doc.Id));
        var compact = Assert.Throws<StoreCorruptionException>(() => fixture.Documents.Compact(doc.Id));
        var sv = Assert.Throws<StoreCorruptionException>(() => fixture.Documents.StateVector(doc.Id));

        foreach (var ex in new[] { load, compact, sv })
        {
            Assert.Equal(doc.Id, ex.DocumentId);
            Assert.Equal(3, ex.Seq);
            Assert.Contains(doc.Id, ex.Message, StringComparison.Ordinal);
            Assert.Contains("seq 3", ex.Message, StringComparison.Ordinal);
            Assert.IsType<P2PSync.Crdt.UpdateFormatException>(ex.InnerException);
        }

        Assert.Equal(before, Snapshot(fixture));

        // The rest of the store keeps working: appends still go in, other documents load.
        Assert.Equal(5, fixture.Documents.AppendUpdate(doc.Id, edits.Append("more"), null));
        var other = fixture.Documents.Create("other");
        fixture.Documents.AppendUpdate(other.Id, new TextUpdates(clientId: 2).Append("fine"), null);
        Assert.Equal("fine", TextUpdates.TextOf(fixture.Documents.LoadDoc(other.Id)));
    }

    [Fact]
    public void CorruptSnapshot_IsReportedAsTheSnapshot()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 1);
        fixture.Documents.AppendUpdate(doc.Id, edits.Append("a"), null);
        fixture.Documents.AppendUpdate(doc.Id, edits.Append("b"), null);
        fixture.Documents.Compact(doc.Id);
        fixture.Documents.AppendUpdate(doc.Id, edits.Append("c"), null);
        fixture.Execute("UPDATE doc_snapshots SET state = $b", ("$b", new byte[] { 0x01 }));
        var before = Snapshot(fixture);

        var load = Assert.Throws<StoreCorruptionException>(() => fixture.Documents.LoadDoc(doc.Id));
        var compact = Assert.Throws<StoreCorruptionException>(() => fixture.Documents.Compact(doc.Id));

        Assert.Equal(2, load.Seq);
        Assert.Contains("snapshot", load.Message, StringComparison.Ordinal);
        Assert.Contains("snapshot", compact.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(fixture));
    }

    /// <summary>
    /// Seeded mutations of a valid stored update (bit flips, truncation, extension, random
    /// bytes): loading either works or throws the typed error for exactly that seq; nothing else
    /// escapes and no stored row changes.
    /// </summary>
    [Fact]
    public void MutatedStoredUpdates_OnlyEverGiveTypedErrors()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 11);
        fixture.Documents.AppendUpdate(doc.Id, edits.Append("stable prefix "), null);
        var victim = edits.Append("victim text with some length");
        fixture.Documents.AppendUpdate(doc.Id, victim, null);
        fixture.Documents.AppendUpdate(doc.Id, edits.Delete(0, 3), null);
        var failures = 0;

        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var mutated = Mutations.Mutate(victim, random);
            fixture.Execute("UPDATE update_log SET update_v1 = $b WHERE seq = 2", ("$b", mutated));
            var before = Snapshot(fixture);
            try
            {
                fixture.Documents.LoadDoc(doc.Id);
                fixture.Documents.StateVector(doc.Id);
            }
            catch (StoreCorruptionException ex)
            {
                failures++;
                Assert.True(ex.Seq == 2, $"seed {seed}: error names seq {ex.Seq}, not 2: {ex.Message}");
                Assert.Equal(doc.Id, ex.DocumentId);
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}: untyped {ex.GetType().Name}: {ex.Message}");
            }

            Assert.True(before.SequenceEqual(Snapshot(fixture)), $"seed {seed}: stored rows changed");
        }

        Assert.True(failures > 100, $"only {failures} of 300 mutations were detected; the test is not exercising corruption");
    }

    [Fact]
    public void CorruptPeerRow_IsTypedError()
    {
        using var fixture = new StoreFixture();
        fixture.Execute("INSERT INTO peers (device_id, addresses, added_ms) VALUES ('not-a-device', '[]', 1)");

        var ex = Assert.Throws<StoreCorruptionException>(() => fixture.Peers.List());

        Assert.Contains("not-a-device", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1L, fixture.Scalar("SELECT COUNT(*) FROM peers"));
    }

    /// <summary>Every stored row of the log and snapshot tables, as text, for before/after comparison.</summary>
    private static List<string> Snapshot(StoreFixture fixture)
    {
        using var connection = fixture.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT 'log', doc_id, seq, hex(update_v1) FROM update_log " +
            "UNION ALL SELECT 'snap', doc_id, upto_seq, hex(state) FROM doc_snapshots ORDER BY 1, 2, 3";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{reader.GetInt64(2)}|{reader.GetString(3)}");
        }

        return rows;
    }
}
