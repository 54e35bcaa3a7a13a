using Microsoft.Extensions.Logging;
using P2PSync.Node.Api;
using P2PSync.Node.Handoff;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.YWebRtc;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The y-webrtc rooms this node takes part in (<c>p2psync doc share-webrtc</c>): one
/// <see cref="YWebRtcRoom"/> per shared room, each with its own connection to the relay's
/// /signal. Shares live in memory: they end with the node (or <see cref="UnshareAsync"/>).
/// </summary>
internal sealed class YWebRtcShares : IAsyncDisposable
{
    private readonly DocumentHub _hub;
    private readonly AwarenessHub _awareness;
    private readonly Func<Uri?> _relay;
    private readonly Func<Uri, IRoomSignalling> _signalling;
    private readonly PeerConnectionOptions _peerOptions;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Dictionary<string, YWebRtcRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _passwords = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _randomGate = new();
    private bool _disposed;

    /// <param name="relay">The relay to signal through, read at each share (null: none configured).</param>
    /// <param name="signalling">Opens the signalling of one room; null = our relay's /signal.</param>
    public YWebRtcShares(
        DocumentHub hub,
        AwarenessHub awareness,
        Func<Uri?> relay,
        PeerConnectionOptions peerOptions,
        TimeProvider time,
        Random random,
        ILogger logger,
        Func<Uri, IRoomSignalling>? signalling = null)
    {
        _hub = hub;
        _awareness = awareness;
        _relay = relay;
        _peerOptions = peerOptions;
        _time = time;
        _random = random;
        _logger = logger;
        _signalling = signalling ?? (url => RelayRoomSignalling.Start(url, time, NextRandom(), logger));
    }

    /// <summary>Joins <paramref name="room"/> with <paramref name="docId"/>; sharing the same pair again returns the running share.</summary>
    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="BadRoomNameException">The name cannot be a relay topic.</exception>
    /// <exception cref="RelayNotConfiguredException">The node has no relay to signal through.</exception>
    /// <exception cref="RoomAlreadySharedException">The room is joined for another document or with another password.</exception>
    public async Task<YWebRtcShareView> ShareAsync(string docId, string room, string? password, CancellationToken cancellationToken)
    {
        if (_hub.Get(docId) is null)
        {
            throw new UnknownDocumentException(docId);
        }

        if (RoomNames.Problem(room) is { } problem)
        {
            throw new BadRoomNameException(problem);
        }

        var relay = _relay() ?? throw new RelayNotConfiguredException("sharing into a y-webrtc room");
        password = string.IsNullOrEmpty(password) ? null : password; // y-webrtc treats "" as no password too
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_rooms.TryGetValue(room, out var running))
            {
                return running.DocId == docId && _passwords[room] == password
                    ? ToView(running)
                    : throw new RoomAlreadySharedException(running.DocId == docId
                        ? $"room '{room}' is already shared with another password; stop that share first"
                        : $"room '{room}' is already shared with document {running.DocId}; a room holds one document");
            }

            var options = new YWebRtcRoomOptions { DocId = docId, RoomName = room, Password = password, PeerConnection = _peerOptions };
            var member = new YWebRtcRoom(options, _hub, _awareness, _signalling(relay), _time, NextRandom(), _logger);
            try
            {
                await member.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await member.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _rooms.Add(room, member);
            _passwords.Add(room, password);
            _logger.LogInformation("document {DocId} shared into y-webrtc room {Room} ({Sealing}) through {Relay}", docId, room, password is null ? "open" : "sealed", relay);
            return ToView(member);
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<YWebRtcShareView> List()
    {
        _gate.Wait();
        try
        {
            return [.. _rooms.Values.Select(ToView)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Leaves the room; false when it was not shared (for <paramref name="docId"/>).</summary>
    public async Task<bool> UnshareAsync(string docId, string room, CancellationToken cancellationToken)
    {
        YWebRtcRoom? member;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_rooms.TryGetValue(room, out member) || member.DocId != docId)
            {
                return false;
            }

            _rooms.Remove(room);
            _passwords.Remove(room);
        }
        finally
        {
            _gate.Release();
        }

        await member.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        YWebRtcRoom[] rooms;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            rooms = [.. _rooms.Values];
            _rooms.Clear();
        }
        finally
        {
            _gate.Release();
        }

        foreach (var room in rooms)
        {
            await room.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static YWebRtcShareView ToView(YWebRtcRoom room) =>
        new(room.DocId, room.RoomName, room.PeerId, room.HasPassword, room.SignallingConnected, room.ConnectedPeers, room.RefusedPayloads);

    private Random NextRandom()
    {
        lock (_randomGate)
        {
            return new Random(_random.Next());
        }
    }
}
