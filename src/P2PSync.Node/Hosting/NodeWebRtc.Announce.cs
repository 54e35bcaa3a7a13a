using Microsoft.Extensions.Logging;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Node.Transport.WebRtc.Signalling;

namespace P2PSync.Node.Hosting;

/// <summary>Following the spaces' membership and saying hello on their rendezvous topics while some member is not connected.</summary>
internal sealed partial class NodeWebRtc
{
    private void OnSpaceChanged(SpaceId space, bool local)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await FollowSpacesAsync().ConfigureAwait(false);
                KickAnnounce();
            }
            catch (Exception ex) when (ex is SignallingException or ObjectDisposedException)
            {
                _logger.LogDebug("webrtc: could not follow space {Space}: {Reason}", space, ex.Message);
            }
        });
    }

    private void KickAnnounce() => _announceNow.Writer.TryWrite(true);

    /// <summary>Subscribes to the rendezvous topic of every space this device is a member of.</summary>
    private async Task FollowSpacesAsync()
    {
        foreach (var space in _spaces.List())
        {
            if (!_spaces.IsMember(space.Id, _key.Id))
            {
                continue;
            }

            var topic = RendezvousTopics.For(space.Id);
            if (!_topics.TryAdd(topic, space.Id))
            {
                continue;
            }

            try
            {
                await _signalling.SubscribeAsync(topic, _stop.Token).ConfigureAwait(false);
            }
            catch (SignallingException ex)
            {
                // Over the relay's topic limit, say: this space stays on the mailbox; the others go on.
                _topics.TryRemove(topic, out _);
                _logger.LogWarning("webrtc: cannot follow space {Space} on the relay's signalling: {Reason}", space.Id, ex.Message);
            }
        }
    }

    /// <summary>Says hello on the topic of every space with a member we are not connected to: now, on every (re)connection, and every HelloInterval.</summary>
    private async Task AnnounceLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (_signalling.State == SignallingState.Connected)
                {
                    try
                    {
                        await AnnounceAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is SignallingException or UnknownSpaceException or ArgumentException)
                    {
                        // A full queue or a space without a key this time; the next tick tries again.
                        _logger.LogDebug("webrtc: hello not sent: {Reason}", ex.Message);
                    }
                }

                using (var tick = new CancellationTokenSource(_options.HelloInterval, _time))
                using (var either = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, _stop.Token))
                {
                    try
                    {
                        await _announceNow.Reader.ReadAsync(either.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        // The interval passed without a kick: time for the periodic hello.
                    }
                }

                ExpireSessions();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task AnnounceAsync()
    {
        var connected = _connections.Connected();
        foreach (var (topic, space) in _topics)
        {
            var members = _spaces.Find(space)?.Log.Members.Keys ?? [];
            if (!members.Any(m => !m.Equals(_key.Id) && !connected.Contains(m)))
            {
                continue;
            }

            await PublishAsync(RendezvousMessageType.Hello, space, default, NewSessionId(), "").ConfigureAwait(false);
        }
    }
}
