using System.Runtime.CompilerServices;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.InMemory;

/// <summary>The accepting side of one device on an <see cref="InMemoryNetwork"/>.</summary>
internal sealed class InMemoryListener : IListener
{
    private readonly InMemoryNetwork _network;
    private readonly Queue<InMemoryConnection> _pending = new();
    private TaskCompletionSource? _arrival;
    private bool _disposed;

    internal InMemoryListener(InMemoryNetwork network, DeviceId device)
    {
        _network = network;
        Device = device;
    }

    public DeviceId Device { get; }

    /// <summary>Takes a connection that was dialled in, without waiting (for simulation pumps).</summary>
    public bool TryAccept(out InMemoryConnection connection)
    {
        lock (_network.Gate)
        {
            return _pending.TryDequeue(out connection!);
        }
    }

    public async IAsyncEnumerable<IConnection> AcceptAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            InMemoryConnection? next = null;
            Task? wait = null;
            lock (_network.Gate)
            {
                if (!_pending.TryDequeue(out next))
                {
                    if (_disposed)
                    {
                        yield break;
                    }

                    _arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _arrival.Task;
                }
            }

            if (next is not null)
            {
                yield return next;
            }
            else
            {
                await wait!.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<InMemoryConnection> refused;
        lock (_network.Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            refused = [.. _pending];
            _pending.Clear();
            var arrival = _arrival;
            _arrival = null;
            arrival?.TrySetResult();
        }

        _network.Unlisten(this);
        foreach (var connection in refused)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Called by the network under its lock.
    internal void Offer(InMemoryConnection connection)
    {
        if (_disposed)
        {
            return;
        }

        _pending.Enqueue(connection);
        var arrival = _arrival;
        _arrival = null;
        arrival?.TrySetResult();
    }
}
