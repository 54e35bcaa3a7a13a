using Microsoft.Extensions.Logging;
using P2PSync.Node.Security;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Node.Transport.WebRtc.Signalling;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>Rendezvous sessions: incoming messages, offer and answer, trickled candidates, completion into a connection, failure and expiry.</summary>
internal sealed partial class NodeWebRtc
{
    private async Task HandleAsync(SignalMessage signal)
    {
        if (!_topics.TryGetValue(signal.Topic, out var space))
        {
            return;
        }

        var verdict = _inbox.Take(space, signal.Data, _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (verdict.Message is not { } message)
        {
            if (verdict.Refusal is not (RendezvousRefusal.Own or RendezvousRefusal.NotForUs))
            {
                Interlocked.Increment(ref _refused);
                _logger.LogInformation("webrtc: refused a rendezvous message ({Refusal}): {Detail}", verdict.Refusal, verdict.Detail);
            }

            return;
        }

        var remote = message.Sender;
        switch (message.Type)
        {
            case RendezvousMessageType.Hello:
                await OnHelloAsync(space, message).ConfigureAwait(false);
                break;
            case RendezvousMessageType.Offer:
                await OnOfferAsync(space, message).ConfigureAwait(false);
                break;
            case RendezvousMessageType.Answer:
                if (Session(remote, message.Session.Span) is { Offerer: true, Answered: false } offering)
                {
                    offering.Answered = true;
                    await ApplyAsync(offering, () => offering.Peer.SetRemoteDescription("answer", message.Body)).ConfigureAwait(false);
                }

                break;
            case RendezvousMessageType.Candidate:
                if (Session(remote, message.Session.Span) is { } candidateSession)
                {
                    await ApplyAsync(candidateSession, () => candidateSession.Peer.AddRemoteCandidate(message.Body)).ConfigureAwait(false);
                }

                break;
            case RendezvousMessageType.Bye:
                if (Session(remote, message.Session.Span) is { } ended)
                {
                    _logger.LogInformation("webrtc: {Device} ended session {Session}: {Reason}", remote.ToShortString(), ended.IdText, message.Body);
                    await AbandonAsync(ended, "the peer said bye", tell: false).ConfigureAwait(false);
                }

                break;
        }
    }

    private async Task OnHelloAsync(SpaceId space, RendezvousMessage hello)
    {
        switch (RendezvousPolicy.OnHello(_key.Id, hello, PeerState(hello)))
        {
            case RendezvousStep.Offer:
                await OfferAsync(space, hello.Sender).ConfigureAwait(false);
                break;
            case RendezvousStep.HelloBack:
                // The lower device offers: tell it we are here, in case it missed our own hello.
                await PublishAsync(RendezvousMessageType.Hello, space, hello.Sender, NewSessionId(), "").ConfigureAwait(false);
                break;
        }
    }

    private RendezvousPeerState PeerState(RendezvousMessage message)
    {
        var remote = message.Sender;

        // Asked outside our lock: the peer book and the connection manager take locks of their own.
        var mayConnect = _mayConnect(remote);
        var connected = _connections.Connected().Contains(remote);
        lock (_gate)
        {
            var hasSession = _sessions.TryGetValue(remote, out var session);
            return new RendezvousPeerState(
                mayConnect,
                connected,
                IsConnectedOver(remote),
                hasSession,
                hasSession && session!.Id.AsSpan().SequenceEqual(message.Session.Span));
        }
    }

    private async Task OfferAsync(SpaceId space, DeviceId remote)
    {
        var peer = NewPeerConnection();
        var session = new RendezvousSession(remote, space, NewSessionId(), offerer: true, peer, _time.GetTimestamp());
        if (!TryAddSession(session))
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            peer.LocalCandidate += candidate => Trickle(session, candidate);
            var channel = peer.CreateDataChannel(ChannelLabel);
            var offer = peer.CreateOffer();
            _logger.LogInformation("webrtc: offering to {Device} (session {Session})", remote.ToShortString(), session.IdText);
            await PublishAsync(RendezvousMessageType.Offer, space, remote, session.Id, offer).ConfigureAwait(false);
            DescriptionSent(session);
            Track(CompleteAsync(session, Task.FromResult(channel)));
        }
        catch (Exception ex) when (ex is PeerConnectionException or WebRtcFormatException or SignallingException or IOException or System.Net.Sockets.SocketException)
        {
            await FailAsync(session, ex.Message).ConfigureAwait(false);
        }
    }

    private async Task OnOfferAsync(SpaceId space, RendezvousMessage offer)
    {
        var remote = offer.Sender;
        switch (RendezvousPolicy.OnOffer(_key.Id, offer, PeerState(offer)))
        {
            case RendezvousStep.RefuseGlare:
                Interlocked.Increment(ref _refused);
                _logger.LogWarning("webrtc: {Device} offered although the lower device id offers; refused", remote.ToShortString());
                await PublishAsync(RendezvousMessageType.Bye, space, remote, offer.Session.ToArray(), "the lower device id offers").ConfigureAwait(false);
                return;
            case RendezvousStep.Ignore:
                return;
        }

        // A new offer replaces an unfinished session with the same device (it restarted, or gave up on the old one).
        RendezvousSession? old;
        lock (_gate)
        {
            _sessions.Remove(remote, out old);
        }

        if (old is not null)
        {
            await AbandonAsync(old, "replaced by a newer offer", tell: false).ConfigureAwait(false);
        }

        var peer = NewPeerConnection();
        var session = new RendezvousSession(remote, space, offer.Session.ToArray(), offerer: false, peer, _time.GetTimestamp());
        if (!TryAddSession(session))
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            peer.LocalCandidate += candidate => Trickle(session, candidate);
            var channel = FirstChannelAsync(peer);
            peer.SetRemoteDescription("offer", offer.Body);
            var answer = peer.CreateAnswer();
            _logger.LogInformation("webrtc: answering {Device} (session {Session})", remote.ToShortString(), session.IdText);
            await PublishAsync(RendezvousMessageType.Answer, space, remote, session.Id, answer).ConfigureAwait(false);
            DescriptionSent(session);
            Track(CompleteAsync(session, channel));
        }
        catch (Exception ex) when (ex is PeerConnectionException or WebRtcFormatException or SignallingException or IOException or System.Net.Sockets.SocketException)
        {
            await FailAsync(session, ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>The peer's "p2psync" channel, once it opens it (channels with other labels are closed: nobody else may speak on our connection).</summary>
    private async Task<DataChannel> FirstChannelAsync(PeerConnection peer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        await foreach (var channel in peer.AcceptDataChannelsAsync(timeout.Token).ConfigureAwait(false))
        {
            if (channel.Label == ChannelLabel)
            {
                return channel;
            }

            await channel.CloseAsync().ConfigureAwait(false);
        }

        throw new PeerConnectionException("the peer connection closed before the peer opened its data channel");
    }

    /// <summary>ICE, DTLS, SCTP, the data channel, then Noise with the expected device; the result joins the connection manager.</summary>
    private async Task CompleteAsync(RendezvousSession session, Task<DataChannel> channelTask)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await session.Peer.Connected.WaitAsync(timeout.Token).ConfigureAwait(false);
            var channel = await channelTask.WaitAsync(timeout.Token).ConfigureAwait(false);
            await channel.Opened.WaitAsync(timeout.Token).ConfigureAwait(false);
            var stream = new DataChannelStream(channel);
            var options = new SecureChannelOptions { AcceptRemote = id => id.Equals(session.Remote) && _mayConnect(id), TimeProvider = _time };
            var secure = session.Offerer
                ? await SecureChannel.InitiateAsync(stream, _key, options, timeout.Token).ConfigureAwait(false)
                : await SecureChannel.RespondAsync(stream, _key, options, timeout.Token).ConfigureAwait(false);
            lock (_gate)
            {
                if (!_sessions.TryGetValue(session.Remote, out var current) || !ReferenceEquals(current, session))
                {
                    session.Abandoned = true;
                }
                else
                {
                    _sessions.Remove(session.Remote);
                }
            }

            var connection = new WebRtcConnection(secure, session.Peer, session.Offerer);
            if (session.Abandoned)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            _live[session.Remote] = connection;
            connection.Ended += ended => _live.TryRemove(new KeyValuePair<DeviceId, WebRtcConnection>(ended.RemoteDevice, ended));
            _logger.LogInformation("webrtc: connected to {Device} over {Pair}", session.Remote.ToShortString(), connection.Stats.SelectedPair);
            if (!_connections.Offer(connection, session.Offerer))
            {
                _live.TryRemove(new KeyValuePair<DeviceId, WebRtcConnection>(session.Remote, connection));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            await AbandonAsync(session, "shutting down", tell: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or PeerConnectionException or ProtocolViolationException or IOException or TimeoutException)
        {
            var reason = ex is OperationCanceledException ? $"no connection within {_options.ConnectTimeout.TotalSeconds:0.#} s" : ex.Message;
            await FailAsync(session, reason).ConfigureAwait(false);
        }
    }

    private PeerConnection NewPeerConnection()
    {
        int seed;
        lock (_gate)
        {
            seed = _random.Next();
        }

        return new PeerConnection(
            new PeerConnectionOptions { BindAddresses = _options.BindAddresses, StunServer = _options.StunServer, ConnectTimeout = _options.ConnectTimeout },
            _time,
            new Random(seed));
    }

    /// <summary>
    /// A local candidate for the peer. Held until our offer or answer has been queued, so the peer
    /// never gets a candidate of a session it does not know yet; the signalling queue keeps the order.
    /// </summary>
    private void Trickle(RendezvousSession session, string candidate)
    {
        lock (session)
        {
            if (!session.DescriptionSent)
            {
                session.HeldCandidates.Add(candidate);
                return;
            }
        }

        SendCandidate(session, candidate);
    }

    /// <summary>Our description is queued: candidates from now on go out at once, and the held ones now.</summary>
    private void DescriptionSent(RendezvousSession session)
    {
        string[] held;
        lock (session)
        {
            session.DescriptionSent = true;
            held = [.. session.HeldCandidates];
            session.HeldCandidates.Clear();
        }

        foreach (var candidate in held)
        {
            SendCandidate(session, candidate);
        }
    }

    private void SendCandidate(RendezvousSession session, string candidate)
    {
        try
        {
            // Synchronous underneath: sealing, then a place in the signalling client's queue.
            PublishAsync(RendezvousMessageType.Candidate, session.Space, session.Remote, session.Id, candidate).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is SignallingException or ObjectDisposedException or UnknownSpaceException or OperationCanceledException)
        {
            _logger.LogDebug("webrtc: candidate for {Device} not sent: {Reason}", session.Remote.ToShortString(), ex.Message);
        }
    }

    private async Task ApplyAsync(RendezvousSession session, Action apply)
    {
        try
        {
            apply();
        }
        catch (Exception ex) when (ex is PeerConnectionException or WebRtcFormatException or ArgumentException or InvalidOperationException)
        {
            await FailAsync(session, ex.Message).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(RendezvousSession session, string reason)
    {
        _logger.LogInformation("webrtc: session {Session} with {Device} failed: {Reason}", session.IdText, session.Remote.ToShortString(), reason);
        lock (_gate)
        {
            if (_sessions.TryGetValue(session.Remote, out var current) && ReferenceEquals(current, session))
            {
                _sessions.Remove(session.Remote);
            }
        }

        await AbandonAsync(session, reason, tell: true).ConfigureAwait(false);
    }

    private async Task AbandonAsync(RendezvousSession session, string reason, bool tell)
    {
        lock (_gate)
        {
            if (session.Abandoned)
            {
                return;
            }

            session.Abandoned = true;
            if (_sessions.TryGetValue(session.Remote, out var current) && ReferenceEquals(current, session))
            {
                _sessions.Remove(session.Remote);
            }
        }

        if (tell && _signalling.State == SignallingState.Connected)
        {
            try
            {
                await PublishAsync(RendezvousMessageType.Bye, session.Space, session.Remote, session.Id, reason).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SignallingException or ObjectDisposedException or UnknownSpaceException or ArgumentException)
            {
                _logger.LogDebug("webrtc: bye to {Device} not sent: {Reason}", session.Remote.ToShortString(), ex.Message);
            }
        }

        await session.Peer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Drops sessions that outlived the connect timeout without finishing (their task normally does it; this catches stragglers).</summary>
    private void ExpireSessions()
    {
        List<RendezvousSession> expired;
        lock (_gate)
        {
            expired = [.. _sessions.Values.Where(s => _time.GetElapsedTime(s.StartedTimestamp) > _options.ConnectTimeout * 2)];
        }

        foreach (var session in expired)
        {
            Track(FailAsync(session, "expired"));
        }
    }

    /// <remarks>Completes synchronously: sealing is CPU work and the signalling client only queues.</remarks>
    private async Task PublishAsync(RendezvousMessageType type, SpaceId space, DeviceId target, byte[] session, string body)
    {
        var message = new RendezvousMessage(type, space, _sealing.CurrentEpoch(space) ?? 0, _key.Id, target, session, _time.GetUtcNow().ToUnixTimeMilliseconds(), body);
        var data = RendezvousEnvelope.ToData(message, _key, _sealing);
        await _signalling.PublishAsync(RendezvousTopics.For(space), data, _stop.Token).ConfigureAwait(false);
    }

    private RendezvousSession? Session(DeviceId remote, ReadOnlySpan<byte> id)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(remote, out var session) && session.Id.AsSpan().SequenceEqual(id) ? session : null;
        }
    }

    private bool TryAddSession(RendezvousSession session)
    {
        lock (_gate)
        {
            return !_stop.IsCancellationRequested && _sessions.TryAdd(session.Remote, session);
        }
    }
}
