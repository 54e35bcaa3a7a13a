using P2PSync.Node.Identity;
using P2PSync.Node.Security;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The joiner's side of an invite (docs/protocol/join.md): dial the inviter at the code's
/// addresses, insisting on the inviter's own key (the Noise handshake proves it), send the proof
/// of the secret, and take in the space the inviter answers with. Afterwards the inviter is a
/// co-member this node dials like any other.
/// </summary>
internal static class JoinClient
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Redeems <paramref name="code"/>; returns the space joined and the inviter's device name
    /// (empty when joined through the relay). When no address of the code answers (or it has
    /// none) and <paramref name="relay"/> is given, the package the inviter left on the relay is
    /// claimed instead (<see cref="RelayJoin"/>).
    /// </summary>
    /// <param name="relay">A relay to fall back on, with the hub that takes in the space's records; null = the LAN only.</param>
    /// <exception cref="JoinFailedException">Expired, refused by the inviter, inviter unreachable, or a broken answer; the message says which.</exception>
    public static async Task<(Space Space, string InviterName)> JoinAsync(
        InviteCode code, DeviceKey key, NodeSpaces spaces, PeerBook peers, string deviceName, int? listenPort, TimeProvider time, (Uri Url, DocumentHub Hub)? relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var space = SpaceId.FromBytes(code.SpaceId);
        if (code.IsExpired(time.GetUtcNow()))
        {
            throw new JoinFailedException($"this invite expired at {code.ExpiresAt:yyyy-MM-dd HH:mm} UTC; ask for a new one");
        }

        if (code.Inviter.Equals(key.Id))
        {
            throw new JoinFailedException("this invite was made by this device; run `p2psync join` on the device that should join");
        }

        if (spaces.IsMember(space, key.Id))
        {
            throw new JoinFailedException($"this device is already a member of space {space}");
        }

        if (code.InviterAddresses.Count == 0)
        {
            return relay is { } only
                ? (await RelayJoin.JoinAsync(code, only.Url, key, spaces, only.Hub, cancellationToken).ConfigureAwait(false), string.Empty)
                : throw new JoinFailedException("this invite names no address of the inviter, so it cannot be redeemed over the LAN; give a relay (`p2psync join CODE --relay URL`, or run the node with one)");
        }

        var request = InviteRedemption.CreateRequest(code, key, deviceName, (ushort)(listenPort ?? 0));
        var dialer = new TcpDialer(key, NodeHost.HandshakeTimeout);
        var failures = new List<string>();
        foreach (var text in code.InviterAddresses)
        {
            TcpConnection connection;
            try
            {
                connection = await dialer.DialAsync(PeerAddress.Parse(text), code.Inviter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or ProtocolViolationException or FormatException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{text}: {ex.Message}");
                continue;
            }

            await using (connection.ConfigureAwait(false))
            {
                var result = await ExchangeAsync(connection, request, cancellationToken).ConfigureAwait(false);
                if (!result.Accepted)
                {
                    throw new JoinFailedException($"the inviter refused: {result.Reason}");
                }

                var joined = spaces.AcceptJoined(result.Space, code.Inviter);
                peers.AddMember(code.Inviter.ToString(), code.InviterAddresses);
                return (joined, result.InviterName);
            }
        }

        if (relay is { } fallback)
        {
            // The inviter is offline (or out of reach): what it left on the relay is the way in.
            return (await RelayJoin.JoinAsync(code, fallback.Url, key, spaces, fallback.Hub, cancellationToken).ConfigureAwait(false), string.Empty);
        }

        throw new JoinFailedException($"could not reach the inviter {code.Inviter.ToShortString()} ({string.Join("; ", failures)})");
    }

    private static async Task<JoinResult> ExchangeAsync(TcpConnection connection, JoinRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        try
        {
            await connection.SendAsync(EnvelopeCodec.Encode(new Envelope { JoinRequest = request }), timeout.Token).ConfigureAwait(false);
            var bytes = await connection.ReceiveAsync(timeout.Token).ConfigureAwait(false)
                ?? throw new JoinFailedException("the inviter closed the connection without answering: it has no open invite any more (this one was used, expired or withdrawn), or it runs an older p2psync");
            var envelope = EnvelopeCodec.Decode(bytes);
            EnvelopeValidator.Validate(envelope);
            return envelope.BodyCase == Envelope.BodyOneofCase.JoinResult
                ? envelope.JoinResult
                : throw new JoinFailedException($"the inviter answered with {envelope.BodyCase} instead of a JoinResult");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JoinFailedException($"the inviter did not answer within {AnswerTimeout.TotalSeconds:0} s");
        }
        catch (WireFormatException ex)
        {
            throw new JoinFailedException($"the inviter's answer is malformed: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new JoinFailedException($"the connection to the inviter broke: {ex.Message}", ex);
        }
    }
}
