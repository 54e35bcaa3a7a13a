namespace P2PSync.Node.Cli.Client;

/// <summary>An open /api/handoff/events stream; disposing it closes the connection.</summary>
internal sealed class HandoffEventSource : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    public HandoffEventSource(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    /// <summary>The events in order until the node closes the stream.</summary>
    public IAsyncEnumerable<ServerSentEvent> ReadAllAsync(CancellationToken cancellationToken) =>
        ServerSentEventReader.ReadAsync(_reader, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
