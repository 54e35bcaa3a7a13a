using P2PSync.Node.Storage;

namespace P2PSync.Node.Tests.Storage;

public sealed class StoreIOFailureTests
{
    /// <summary>A full disk (simulated with max_page_count) gives a typed error and rolls back cleanly.</summary>
    [Fact]
    public void DiskFull_IsTypedError_AndTheStoreKeepsWorking()
    {
        using var fixture = new StoreFixture();
        var doc = fixture.Documents.Create("notes");
        var edits = new TextUpdates(clientId: 1);
        fixture.Documents.AppendUpdate(doc.Id, edits.Append("kept"), null);

        // Only one connection exists so far, so the next operation reuses this capped one.
        using (var lease = fixture.Store.Rent())
        using (var cap = lease.Connection.CreateCommand())
        {
            cap.CommandText = "SELECT page_count FROM pragma_page_count()";
            var pages = (long)cap.ExecuteScalar()!;
            cap.CommandText = $"PRAGMA max_page_count = {pages}";
            cap.ExecuteNonQuery();
        }

        var big = edits.Append(new string('x', 200_000));
        var ex = Assert.Throws<StoreIOException>(() => fixture.Documents.AppendUpdate(doc.Id, big, null));

        Assert.Contains(fixture.Path, ex.Message, StringComparison.Ordinal);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(ex.InnerException);
        fixture.Reopen();
        Assert.Equal(1, fixture.Documents.Get(doc.Id)!.HeadSeq);
        Assert.Equal("kept", TextUpdates.TextOf(fixture.Documents.LoadDoc(doc.Id)));
        Assert.Equal(2, fixture.Documents.AppendUpdate(doc.Id, big, null));
    }
}
