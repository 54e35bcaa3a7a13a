namespace P2PSync.Node.Transport;

/// <summary>Accepts incoming connections that passed the transport's handshake and trust check.</summary>
internal interface IListener : IAsyncDisposable
{
    /// <summary>Yields each accepted connection until cancelled or disposed.</summary>
    IAsyncEnumerable<IConnection> AcceptAsync(CancellationToken cancellationToken);
}
