using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.InMemory;

/// <summary>
/// A simulated network of devices for tests: connections are reliable and ordered like TCP +
/// Noise, with seeded latency and the faults such a channel can really suffer (see
/// <see cref="InMemoryNetworkOptions"/>): breaks mid-stream, late tails of broken connections
/// arriving after the reconnect, and partitions. All randomness comes from the
/// <see cref="Random"/> given to the constructor and all time from the <see cref="TimeProvider"/>,
/// so with a manual clock and a single-threaded pump a run replays exactly from its seed.
/// </summary>
internal sealed class InMemoryNetwork
{
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly Dictionary<DeviceId, InMemoryListener> _listeners = [];
    private readonly List<InMemoryConnection> _open = [];

    // Devices in different groups cannot reach each other; everyone starts in group 0.
    private readonly Dictionary<DeviceId, int> _group = [];
    private long _nextLinkId = 1;
    private long _connections;
    private long _sent;
    private long _delivered;
    private long _lost;
    private long _late;
    private long _breaks;

    public InMemoryNetwork(Random random, TimeProvider time, InMemoryNetworkOptions? options = null)
    {
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        Options = options ?? InMemoryNetworkOptions.Reliable;
    }

    /// <summary>The faults in force; may be changed between steps (e.g. set to reliable to let a run settle).</summary>
    public InMemoryNetworkOptions Options
    {
        get
        {
            lock (Gate)
            {
                return field;
            }
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.MinLatency < TimeSpan.Zero || value.MaxLatency < value.MinLatency)
            {
                throw new ArgumentException("latency range must satisfy 0 <= MinLatency <= MaxLatency", nameof(value));
            }

            lock (Gate)
            {
                field = value;
            }
        }
    }

    /// <summary>Messages sent but not yet delivered or lost.</summary>
    public int InFlightCount
    {
        get
        {
            lock (Gate)
            {
                return _open.Sum(c => c.InFlight.Count);
            }
        }
    }

    public InMemoryNetworkStats Stats
    {
        get
        {
            lock (Gate)
            {
                return new InMemoryNetworkStats(_connections, _sent, _delivered, _lost, _late, _breaks);
            }
        }
    }

    internal Lock Gate { get; } = new();

    /// <summary>Starts accepting connections for <paramref name="device"/>.</summary>
    public InMemoryListener Listen(DeviceId device)
    {
        lock (Gate)
        {
            if (_listeners.ContainsKey(device))
            {
                throw new InvalidOperationException($"{device.ToShortString()} already listens");
            }

            var listener = new InMemoryListener(this, device);
            _listeners.Add(device, listener);
            return listener;
        }
    }

    /// <summary>Dials <paramref name="to"/> from <paramref name="from"/>; the other end appears at its listener.</summary>
    /// <exception cref="InMemoryConnectException">Nobody listens as <paramref name="to"/>, or a partition is in the way.</exception>
    public InMemoryConnection Connect(DeviceId from, DeviceId to)
    {
        lock (Gate)
        {
            if (!_listeners.TryGetValue(to, out var listener))
            {
                throw new InMemoryConnectException($"no device {to.ToShortString()} is listening");
            }

            if (!CanReachLocked(from, to))
            {
                throw new InMemoryConnectException($"{to.ToShortString()} is unreachable from {from.ToShortString()} (partitioned)");
            }

            var linkId = _nextLinkId++;
            var dialer = new InMemoryConnection(this, linkId, from, to);
            var acceptor = new InMemoryConnection(this, linkId, to, from);
            dialer.Peer = acceptor;
            acceptor.Peer = dialer;
            _open.Add(dialer);
            _open.Add(acceptor);
            _connections++;
            listener.Offer(acceptor);
            return dialer;
        }
    }

    /// <inheritdoc cref="Connect"/>
    public ValueTask<IConnection> ConnectAsync(DeviceId from, DeviceId to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IConnection>(Connect(from, to));
    }

    /// <summary>
    /// Splits the network: the devices in each group can reach each other and nobody else
    /// (devices not named form one more group). Connections that cross the new boundaries break
    /// at once, losing everything in flight, as when a cable is pulled.
    /// </summary>
    public void Partition(params IReadOnlyList<DeviceId>[] groups)
    {
        lock (Gate)
        {
            _group.Clear();
            for (var g = 0; g < groups.Length; g++)
            {
                foreach (var device in groups[g])
                {
                    _group[device] = g + 1;
                }
            }

            foreach (var connection in _open.ToList())
            {
                if (!CanReachLocked(connection.LocalDevice, connection.RemoteDevice))
                {
                    BreakHard(connection);
                }
            }
        }
    }

    /// <summary>Removes every partition; broken connections stay broken (peers must redial).</summary>
    public void Heal()
    {
        lock (Gate)
        {
            _group.Clear();
        }
    }

    public bool CanReach(DeviceId from, DeviceId to)
    {
        lock (Gate)
        {
            return CanReachLocked(from, to);
        }
    }

    internal void Send(InMemoryConnection from, byte[] message)
    {
        lock (Gate)
        {
            if (from.SendClosed)
            {
                throw new IOException($"connection {from.LinkId} to {from.RemoteDevice.ToShortString()} is closed");
            }

            _sent++;
            var options = Options;
            if (options.DropRate > 0 && _random.NextDouble() < options.DropRate)
            {
                _lost++;
                Break(from, options);
                return;
            }

            var now = _time.GetUtcNow().UtcTicks;
            var latency = options.MinLatency.Ticks + (long)(_random.NextDouble() * (options.MaxLatency - options.MinLatency).Ticks);
            var due = Math.Max(now + latency, from.LastDueTicks);
            from.LastDueTicks = due;
            from.InFlight.Enqueue((due, message));
            if (from.InFlight.Count == 1)
            {
                Arm(from, now);
            }
        }
    }

    internal void Close(InMemoryConnection end)
    {
        lock (Gate)
        {
            if (end.SendClosed && end.ReceiveClosed)
            {
                return;
            }

            // Like a FIN: what this end already sent still arrives, then end of stream.
            CloseLocal(end);
            FinishAfterInFlight(end, extraDelayTicks: 0);
        }
    }

    internal void Unlisten(InMemoryListener listener)
    {
        lock (Gate)
        {
            _listeners.Remove(listener.Device);
        }
    }

    // A drop: one end (chosen at random) gives up on the connection.
    private void Break(InMemoryConnection from, InMemoryNetworkOptions options)
    {
        _breaks++;
        var breaking = _random.Next(2) == 0 ? from : from.Peer;
        CloseLocal(breaking);
        if (options.DuplicateRate > 0 && _random.NextDouble() < options.DuplicateRate)
        {
            var extra = (long)(_random.NextDouble() * options.ReorderDelay.Ticks);
            if (breaking.InFlight.Count > 0)
            {
                _late += breaking.InFlight.Count;
            }

            FinishAfterInFlight(breaking, extra);
        }
        else
        {
            Discard(breaking);
            breaking.Peer.EndOfStream(discardUnread: false);
            Forget(breaking);
        }
    }

    private void BreakHard(InMemoryConnection end)
    {
        if (end.SendClosed && end.ReceiveClosed && end.Peer.SendClosed && end.Peer.ReceiveClosed)
        {
            return;
        }

        _breaks++;
        foreach (var side in new[] { end, end.Peer })
        {
            CloseLocal(side);
        }
    }

    // This end can neither send nor receive any more; whatever travelled towards it is lost.
    private void CloseLocal(InMemoryConnection end)
    {
        end.SendClosed = true;
        end.Peer.SendClosed = true;
        Discard(end.Peer);
        end.EndOfStream(discardUnread: true);
        Forget(end);
    }

    private void FinishAfterInFlight(InMemoryConnection end, long extraDelayTicks)
    {
        if (end.InFlight.Count == 0)
        {
            end.Peer.EndOfStream(discardUnread: false);
            Forget(end);
            return;
        }

        if (extraDelayTicks > 0)
        {
            var shifted = end.InFlight.Select(m => (m.DueTicks + extraDelayTicks, m.Message)).ToList();
            end.InFlight.Clear();
            foreach (var m in shifted)
            {
                end.InFlight.Enqueue(m);
            }
        }

        end.CloseAfterInFlight = true;
        Arm(end, _time.GetUtcNow().UtcTicks);
    }

    private void Discard(InMemoryConnection from)
    {
        _lost += from.InFlight.Count;
        from.InFlight.Clear();
        from.DeliveryTimer?.Dispose();
        from.DeliveryTimer = null;
    }

    // Drops ends that can neither receive nor still deliver anything from the open list.
    private void Forget(InMemoryConnection end)
    {
        foreach (var side in new[] { end, end.Peer })
        {
            if (side.ReceiveClosed && side.InFlight.Count == 0)
            {
                _open.Remove(side);
            }
        }
    }

    // Points the direction's timer at the oldest message in flight.
    private void Arm(InMemoryConnection from, long nowTicks)
    {
        var wait = TimeSpan.FromTicks(Math.Max(0, from.InFlight.Peek().DueTicks - nowTicks));
        if (from.DeliveryTimer is null)
        {
            from.DeliveryTimer = _time.CreateTimer(static state => ((DeliveryState)state!).Fire(), new DeliveryState(this, from), wait, Timeout.InfiniteTimeSpan);
        }
        else
        {
            from.DeliveryTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void Deliver(InMemoryConnection from)
    {
        lock (Gate)
        {
            var now = _time.GetUtcNow().UtcTicks;
            while (from.InFlight.Count > 0 && from.InFlight.Peek().DueTicks <= now)
            {
                from.Peer.Enqueue(from.InFlight.Dequeue().Message);
                _delivered++;
            }

            if (from.InFlight.Count > 0)
            {
                Arm(from, now);
                return;
            }

            from.DeliveryTimer?.Dispose();
            from.DeliveryTimer = null;
            if (from.CloseAfterInFlight)
            {
                from.Peer.EndOfStream(discardUnread: false);
                Forget(from);
            }
        }
    }

    private bool CanReachLocked(DeviceId from, DeviceId to) =>
        _group.GetValueOrDefault(from) == _group.GetValueOrDefault(to);

    private sealed class DeliveryState(InMemoryNetwork network, InMemoryConnection from)
    {
        public void Fire() => network.Deliver(from);
    }
}
