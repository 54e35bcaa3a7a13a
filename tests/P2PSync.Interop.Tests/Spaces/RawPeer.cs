using Google.Protobuf;
using P2PSync.Interop.Tests.Node;
using P2PSync.Node.Identity;
using P2PSync.Node.Sync;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// Speaks the sync protocol by hand, as a real device (its key read from its data directory, so
/// the Noise handshake proves that identity and admission treats it as that member). Used to
/// hand a node records the device's own node would never send. One device is one connection, so
/// the device's node must be stopped first.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly TcpConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drain;

    private RawPeer(TcpConnection connection)
    {
        _connection = connection;
        // The node sends its own opening (Hello, spaces, documents); reading it keeps its writer from stalling.
        _drain = Task.Run(async () =>
        {
            while (await _connection.ReceiveAsync(_stop.Token) is not null)
            {
            }
        });
    }

    /// <summary>Dials <paramref name="target"/> with the key in <paramref name="dataDirectory"/> and says Hello (protocol 2, no documents of its own).</summary>
    public static async Task<RawPeer> ConnectAsync(string dataDirectory, NodeProcess target)
    {
        using var key = DeviceKeyStore.Load(dataDirectory);
        using var deadline = new CancellationTokenSource(Bound);
        var connection = await new TcpDialer(key, Bound).DialAsync(PeerAddress.Parse(target.Address), DeviceId.Parse(target.DeviceId), deadline.Token);
        var peer = new RawPeer(connection);
        await peer.SendAsync(new Envelope { Hello = new Hello { DeviceName = "raw", ProtocolVersion = SyncProtocolVersion.Current, OpeningDocuments = 0 } });
        return peer;
    }

    /// <summary>Sends encoded signed records for one document as a live push.</summary>
    public Task SendRecordsAsync(string docId, IEnumerable<byte[]> records)
    {
        var frame = new Records { DocId = docId, CatchUp = false };
        frame.Records_.AddRange(records.Select(ByteString.CopyFrom));
        return SendAsync(new Envelope { Records = frame });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _connection.DisposeAsync();
        try
        {
            await _drain;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        _stop.Dispose();
    }

    private async Task SendAsync(Envelope envelope)
    {
        using var deadline = new CancellationTokenSource(Bound);
        await _connection.SendAsync(EnvelopeCodec.Encode(envelope), deadline.Token);
    }
}
