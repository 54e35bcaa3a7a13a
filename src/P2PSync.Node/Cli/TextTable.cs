namespace P2PSync.Node.Cli;

/// <summary>
/// Plain aligned columns for verbs that print a table: a header row and one row per item, each
/// column as wide as its longest cell, separated by two spaces. Plain text (no box drawing) so
/// the output greps and diffs well.
/// </summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    /// <exception cref="ArgumentException">The row has a different number of cells than the header.</exception>
    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row needs {_headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
    }

    public async Task WriteAsync(TextWriter output)
    {
        var widths = _headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        await output.WriteLineAsync(Format(_headers, widths)).ConfigureAwait(false);
        foreach (var row in _rows)
        {
            await output.WriteLineAsync(Format(row, widths)).ConfigureAwait(false);
        }
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
}
