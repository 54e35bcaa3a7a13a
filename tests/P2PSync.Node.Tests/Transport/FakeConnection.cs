using P2PSync.Node.Transport;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport;

/// <summary>A connection that carries nothing and stays open until disposed (for connection-manager tests).</summary>
internal sealed class FakeConnection : IConnection
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeConnection(DeviceId remote)
    {
        RemoteDevice = remote;
    }

    public DeviceId RemoteDevice { get; }

    public string Path => "fake";

    public bool IsDisposed => _closed.Task.IsCompleted;

    public Task Closed => _closed.Task;

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken)
    {
        await _closed.Task.WaitAsync(cancellationToken);
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _closed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
