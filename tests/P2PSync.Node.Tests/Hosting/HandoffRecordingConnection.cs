using System.Collections.Concurrent;
using P2PSync.Node.Transport;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>A connection that records what is sent on it (decoded) and never receives anything.</summary>
internal sealed class HandoffRecordingConnection : IConnection
{
    public HandoffRecordingConnection(DeviceId remote)
    {
        RemoteDevice = remote;
    }

    public ConcurrentQueue<Envelope> Sent { get; } = new();

    public DeviceId RemoteDevice { get; }

    public string Path => "recording";

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        Sent.Enqueue(EnvelopeCodec.Decode(message.Span));
        return ValueTask.CompletedTask;
    }

    public async ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
