using Microsoft.Extensions.Logging;
using P2PSync.Node.Transport;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The inviter's side of a join on one connection (docs/protocol/join.md). A device that is
/// neither trusted nor a member of a shared space gets in only while an invite is open, and only
/// to redeem it: its first message must be a JoinRequest, answered with one JoinResult, then the
/// connection ends (a joiner that got in dials again as a member).
/// </summary>
internal sealed class JoinDesk
{
    /// <summary>How long such a device gets to send its JoinRequest.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly NodeSpaces _spaces;
    private readonly PeerBook _peers;
    private readonly string _deviceName;
    private readonly ILogger _logger;

    public JoinDesk(NodeSpaces spaces, PeerBook peers, string deviceName, ILogger logger)
    {
        _spaces = spaces;
        _peers = peers;
        _deviceName = deviceName;
        _logger = logger;
    }

    /// <summary>Serves the one exchange, then closes the connection (also on any failure).</summary>
    public async Task ServeAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var device = connection.RemoteDevice;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            var bytes = await connection.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            if (bytes is null)
            {
                return;
            }

            var envelope = EnvelopeCodec.Decode(bytes);
            EnvelopeValidator.Validate(envelope);
            if (envelope.BodyCase != Envelope.BodyOneofCase.JoinRequest)
            {
                _logger.LogWarning("closing connection from {Device}: not a member of any space shared with this device, and it sent {Body} instead of a JoinRequest", device.ToShortString(), envelope.BodyCase);
                return;
            }

            var request = envelope.JoinRequest;
            var result = _spaces.Redeem(request, device);
            if (result.Accepted)
            {
                RememberDialBack(connection, device, request.ListenPort);
            }

            result.InviterName = _deviceName;
            await connection.SendAsync(EnvelopeCodec.Encode(new Envelope { JoinResult = result }), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WireFormatException or OperationCanceledException or IOException)
        {
            _logger.LogWarning("closing connection from {Device}: {Problem}", device.ToShortString(), ex is OperationCanceledException ? "no JoinRequest in time" : ex.Message);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>So this node can dial the new member back (the joiner dials us with the invite's addresses anyway).</summary>
    private void RememberDialBack(IConnection connection, DeviceId device, uint listenPort)
    {
        if (connection is Transport.Tcp.TcpConnection { RemoteEndPoint: System.Net.IPEndPoint { Address: var address } } && listenPort is > 0 and <= 65535)
        {
            _peers.AddMember(device.ToString(), [new System.Net.IPEndPoint(address, (int)listenPort).ToString()]);
        }
    }
}
