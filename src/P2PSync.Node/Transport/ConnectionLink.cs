using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport;

/// <summary>One connection the manager keeps for a device, with what is needed to stop it.</summary>
internal sealed class ConnectionLink
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectionLink(IConnection connection, bool initiatedLocally, long startedTimestamp)
    {
        Connection = connection;
        InitiatedLocally = initiatedLocally;
        StartedTimestamp = startedTimestamp;
    }

    public IConnection Connection { get; }

    public DeviceId Device => Connection.RemoteDevice;

    /// <summary>True when this node dialed (decides simultaneous-dial ties).</summary>
    public bool InitiatedLocally { get; }

    /// <summary>TimeProvider timestamp when it was registered.</summary>
    public long StartedTimestamp { get; }

    public CancellationTokenSource Stop { get; } = new();

    /// <summary>Completes when the link is served no more.</summary>
    public Task Finished => _finished.Task;

    public void MarkFinished() => _finished.TrySetResult();
}
