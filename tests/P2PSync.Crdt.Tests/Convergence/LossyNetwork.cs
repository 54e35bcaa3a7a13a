namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// An in-memory network that delivers updates out of order, drops some (resending part of them
/// later), duplicates some and merges queued updates for the same peer with Y.MergeUpdates, all
/// driven by one seeded <see cref="Random"/>.
/// </summary>
internal sealed class LossyNetwork
{
    private const int DropPercent = 10;
    private const int DuplicatePercent = 10;
    private const int MergePercent = 10;
    private const int ResendPercent = 15;

    private readonly Random _random;
    private readonly List<NetworkMessage> _inFlight = new();
    private readonly List<NetworkMessage> _dropped = new();
    private readonly List<Replica> _replicas = new();

    public LossyNetwork(Random random, int replicaCount, bool gc)
    {
        _random = random;
        for (var i = 0; i < replicaCount; i++)
        {
            // Distinct client ids, sometimes beyond 32 bits (they are up to 2^53 on the wire).
            var clientId = random.Next(4) == 0
                ? (ulong)random.NextInt64(1L << 32, 1L << 53) + (ulong)i
                : (ulong)(i + 1) * 1000 + (ulong)random.Next(1000);
            _replicas.Add(new Replica(i, clientId, gc, usesV2: random.Next(2) == 0, this, Broadcast));
        }
    }

    public IReadOnlyList<Replica> Replicas => _replicas;

    public int MessagesDelivered { get; private set; }

    public int MessagesMerged { get; private set; }

    /// <summary>Performs one random network action, if anything is queued.</summary>
    public void Step()
    {
        if (_dropped.Count > 0 && _random.Next(100) < ResendPercent)
        {
            var resend = TakeAt(_dropped, _random.Next(_dropped.Count));
            _inFlight.Add(resend);
        }
        if (_inFlight.Count == 0)
        {
            return;
        }
        var index = _random.Next(_inFlight.Count);
        var roll = _random.Next(100);
        if (roll < DropPercent)
        {
            // Half of the dropped messages are resent later; the rest only come back in the final sync.
            var lost = TakeAt(_inFlight, index);
            if (_random.Next(2) == 0)
            {
                _dropped.Add(lost);
            }
        }
        else if (roll < DropPercent + DuplicatePercent)
        {
            Deliver(_inFlight[index]);
        }
        else if (roll < DropPercent + DuplicatePercent + MergePercent)
        {
            MergeQueuedFor(index);
        }
        else
        {
            Deliver(TakeAt(_inFlight, index));
        }
    }

    /// <summary>Delivers everything still queued or waiting for a resend, in random order, without loss.</summary>
    public void DrainReliably()
    {
        _inFlight.AddRange(_dropped);
        _dropped.Clear();
        while (_inFlight.Count > 0)
        {
            Deliver(TakeAt(_inFlight, _random.Next(_inFlight.Count)));
        }
    }

    /// <summary>
    /// The anti-entropy round a reconnecting peer does: every replica sends every other one what
    /// that one's state vector says it lacks. Twice, so that content relayed in the first round
    /// reaches everybody.
    /// </summary>
    public void FullExchange()
    {
        for (var round = 0; round < 2; round++)
        {
            foreach (var from in _replicas)
            {
                foreach (var to in _replicas)
                {
                    if (from == to)
                    {
                        continue;
                    }
                    var update = to.UsesV2
                        ? Y.EncodeStateAsUpdateV2(from.Doc, Y.EncodeStateVector(to.Doc))
                        : Y.EncodeStateAsUpdate(from.Doc, Y.EncodeStateVector(to.Doc));
                    to.Receive(update, to.UsesV2);
                }
            }
        }
    }

    private void Broadcast(Replica from, byte[] update)
    {
        foreach (var to in _replicas)
        {
            if (to != from)
            {
                _inFlight.Add(new NetworkMessage(from.Index, to.Index, update, from.UsesV2));
            }
        }
    }

    /// <summary>Replaces the message at <paramref name="index"/> and up to three more for the same peer and format by their merge.</summary>
    private void MergeQueuedFor(int index)
    {
        var first = _inFlight[index];
        var group = new List<NetworkMessage> { first };
        for (var i = 0; i < _inFlight.Count && group.Count < 4; i++)
        {
            var m = _inFlight[i];
            if (i != index && m.To == first.To && m.V2 == first.V2 && _random.Next(2) == 0)
            {
                group.Add(m);
            }
        }
        if (group.Count == 1)
        {
            Deliver(TakeAt(_inFlight, index));
            return;
        }
        foreach (var m in group)
        {
            _inFlight.Remove(m);
        }
        var payloads = group.Select(m => m.Payload).ToList();
        var merged = first.V2 ? Y.MergeUpdatesV2(payloads) : Y.MergeUpdates(payloads);
        _inFlight.Add(new NetworkMessage(first.From, first.To, merged, first.V2));
        MessagesMerged += group.Count;
    }

    private void Deliver(NetworkMessage message)
    {
        _replicas[message.To].Receive(message.Payload, message.V2);
        MessagesDelivered++;
    }

    private static NetworkMessage TakeAt(List<NetworkMessage> list, int index)
    {
        var m = list[index];
        list.RemoveAt(index);
        return m;
    }
}
