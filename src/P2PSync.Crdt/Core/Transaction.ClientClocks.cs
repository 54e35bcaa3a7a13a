namespace P2PSync.Crdt.Core;

// The state vectors of a transaction. Yjs copies the whole state vector when a transaction begins
// (beforeState) and again when its cleanup begins (afterState): two maps per keystroke. They
// differ only for clients whose clock moved, and a clock moves only when a struct is added, so
// we record a client the first time one of its structs is added while the transaction is open
// and read every other client's clock from the store, where it has not changed since.
public sealed partial class Transaction
{
    // Beyond this many clients a lookup index pays for itself (remote updates from many peers).
    private const int ClientIndexThreshold = 8;

    // The first client in a field (a local edit moves only our own clock), the others in an array.
    private ClientClockChange _firstClientClock;
    private ClientClockChange[]? _moreClientClocks;
    private int _clientClockCount;

    /// <summary>Set when an event was created for an observer, which may outlive the cleanup.</summary>
    internal bool EventsCreated { get; set; }

    /// <summary>Number of clients whose clock moved since the transaction began.</summary>
    internal int ChangedClientCount => _clientClockCount;

    /// <summary>The <paramref name="index"/>th client whose clock moved, in the order they first moved.</summary>
    internal ClientClockChange GetChangedClient(int index) => ClientClockAt(index);

    /// <summary>The clock of <paramref name="client"/> when the transaction began (0 if unknown then).</summary>
    internal int GetBeforeClock(ulong client)
    {
        if (_rare?.FrozenBeforeState is { } frozenState)
        {
            return frozenState.TryGetValue(client, out var frozen) ? frozen : 0;
        }
        var index = IndexOfClient(client);
        return index >= 0 ? ClientClockAt(index).Before : StructStore.GetState(Doc.Store, client);
    }

    /// <summary>
    /// Called before a struct starting at <paramref name="clock"/> is added to the store. Every
    /// transaction still waiting for (or in) cleanup records it: their update messages and
    /// events cover everything added since they began, as with Yjs's copied state vectors.
    /// </summary>
    internal static void NoteStructAdded(Doc doc, ulong client, int clock)
    {
        var open = doc.TransactionCleanups;
        for (var i = 0; i < open.Count; i++)
        {
            open[i].NoteClientClock(client, clock);
        }
    }

    /// <summary>Fixes the after-state (Yjs afterState): call when the cleanup of this transaction begins.</summary>
    internal void TakeAfterState()
    {
        var store = Doc.Store;
        for (var i = 0; i < _clientClockCount; i++)
        {
            ref var change = ref ClientClockAt(i);
            change.After = StructStore.GetState(store, change.Client);
        }
    }

    /// <summary>Whether some client's clock moved between the start and the after-state.</summary>
    internal bool StateChanged()
    {
        for (var i = 0; i < _clientClockCount; i++)
        {
            ref var change = ref ClientClockAt(i);
            if (change.After != change.Before)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the clock of <paramref name="client"/> moved between the start and the after-state.</summary>
    internal bool ClientStateChanged(ulong client)
    {
        var index = IndexOfClient(client);
        return index >= 0 && ClientClockAt(index).After != ClientClockAt(index).Before;
    }

    /// <summary>
    /// Copies the state at the start of the transaction, so that events kept by observers keep
    /// answering correctly after the transaction left the cleanup queue: from then on other
    /// transactions move clocks without recording them here.
    /// </summary>
    internal void FreezeBeforeState()
    {
        var clients = Doc.Store.Clients;
        var frozen = new Dictionary<ulong, int>(clients.Count);
        foreach (var client in clients.Keys)
        {
            frozen[client] = GetBeforeClock(client);
        }
        Rare.FrozenBeforeState = frozen;
    }

    private void NoteClientClock(ulong client, int clock)
    {
        if (IndexOfClient(client) >= 0)
        {
            return;
        }
        if (_clientClockCount > 0)
        {
            _moreClientClocks ??= new ClientClockChange[2];
            if (_clientClockCount - 1 == _moreClientClocks.Length)
            {
                Array.Resize(ref _moreClientClocks, _moreClientClocks.Length * 2);
            }
        }
        // A client first moving after the after-state was taken did not move within this
        // transaction itself, so its after-state equals its start.
        ClientClockAt(_clientClockCount) = new ClientClockChange(client, clock, clock);
        if (_rare?.ClientClockIndex is { } clientIndex)
        {
            clientIndex[client] = _clientClockCount;
        }
        else if (_clientClockCount + 1 > ClientIndexThreshold)
        {
            clientIndex = new Dictionary<ulong, int>(_clientClockCount * 2);
            for (var i = 0; i <= _clientClockCount; i++)
            {
                clientIndex[ClientClockAt(i).Client] = i;
            }
            Rare.ClientClockIndex = clientIndex;
        }
        _clientClockCount++;
    }

    private int IndexOfClient(ulong client)
    {
        if (_rare?.ClientClockIndex is { } clientIndex)
        {
            return clientIndex.TryGetValue(client, out var index) ? index : -1;
        }
        for (var i = 0; i < _clientClockCount; i++)
        {
            if (ClientClockAt(i).Client == client)
            {
                return i;
            }
        }
        return -1;
    }

    private ref ClientClockChange ClientClockAt(int index) =>
        ref index == 0 ? ref _firstClientClock : ref _moreClientClocks![index - 1];
}
