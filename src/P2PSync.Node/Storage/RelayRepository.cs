using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// The relays this device uses (schema 6, <c>relays</c>), in the order they were added: `up`
/// without --relay connects to the first. URLs are stored normalised (<see cref="RelayUrls"/>).
/// </summary>
internal sealed class RelayRepository
{
    private readonly StoreTransactions transactions;
    private readonly TimeProvider time;

    public RelayRepository(StoreTransactions transactions, TimeProvider time)
    {
        this.transactions = transactions;
        this.time = time;
    }

    /// <summary>
    /// Stores the relay unless it is stored already (then it keeps its place and added time).
    /// Returns the stored row and whether this call added it.
    /// </summary>
    /// <exception cref="InvalidStoreInputException">Not a usable relay URL.</exception>
    public (RelayRow Relay, bool Added) Add(string url)
    {
        var normalised = RelayUrls.Normalise(url);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return transactions.Write((connection, transaction) =>
        {
            var added = connection.Execute(
                transaction,
                "INSERT INTO relays (url, added_ms) VALUES ($url, $now) ON CONFLICT (url) DO NOTHING",
                ("$url", normalised),
                ("$now", now)) > 0;
            var addedMs = (long)connection.Scalar(transaction, "SELECT added_ms FROM relays WHERE url = $url", ("$url", normalised))!;
            return (new RelayRow(normalised, addedMs), added);
        });
    }

    /// <summary>Forgets the relay (written any way that normalises to a stored URL); false if it was not stored.</summary>
    /// <exception cref="InvalidStoreInputException">Not a usable relay URL.</exception>
    public bool Remove(string url)
    {
        var normalised = RelayUrls.Normalise(url);
        return transactions.Write((connection, transaction) =>
            connection.Execute(transaction, "DELETE FROM relays WHERE url = $url", ("$url", normalised)) > 0);
    }

    /// <summary>Every stored relay, first added first.</summary>
    public IReadOnlyList<RelayRow> List() =>
        transactions.Read((connection, transaction) =>
        {
            using var command = connection.Command(transaction, "SELECT url, added_ms FROM relays ORDER BY position");
            using var reader = command.ExecuteReader();
            var relays = new List<RelayRow>();
            while (reader.Read())
            {
                relays.Add(ReadRow(reader));
            }

            return relays;
        });

    /// <summary>The relay `up` connects to when --relay is not given: the first stored, or null.</summary>
    public Uri? First() => List() is [var first, ..] ? new Uri(first.Url, UriKind.Absolute) : null;

    private static RelayRow ReadRow(SqliteDataReader reader)
    {
        var text = reader.GetString(0);
        if (!Uri.TryCreate(text, UriKind.Absolute, out _))
        {
            throw new StoreCorruptionException($"relays table: stored URL '{text}' does not parse; the row was left as is", null, null);
        }

        return new RelayRow(text, reader.GetInt64(1));
    }
}
