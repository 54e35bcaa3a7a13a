using P2PSync.Crdt.Core;

namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>
/// One peer of the simulated network: a doc that broadcasts its local updates (v1 or v2) and
/// logs every update it emits, local or remote, so the log can be merged into a copy later.
/// </summary>
internal sealed class Replica
{
    private readonly object _networkOrigin;

    public Replica(int index, ulong clientId, bool gc, bool usesV2, object networkOrigin, Action<Replica, byte[]> broadcast)
    {
        Index = index;
        UsesV2 = usesV2;
        _networkOrigin = networkOrigin;
        Doc = new Doc(new DocOptions { ClientId = clientId, Gc = gc });
        // Create the roots up front so every replica has the same kinds of roots.
        Doc.GetText("text");
        Doc.GetArray("array");
        Doc.GetMap("map");
        Doc.GetXmlFragment("xml");
        EventHandler<UpdateEventArgs> onUpdate = (_, e) =>
        {
            Log.Add(e.Update);
            if (!ReferenceEquals(e.Origin, _networkOrigin))
            {
                broadcast(this, e.Update);
            }
        };
        if (usesV2)
        {
            Doc.UpdateV2 += onUpdate;
        }
        else
        {
            Doc.Update += onUpdate;
        }
    }

    public int Index { get; }

    public Doc Doc { get; }

    /// <summary>Whether this replica sends (and logs) v2 updates instead of v1.</summary>
    public bool UsesV2 { get; }

    /// <summary>Every update the doc emitted, in the replica's format.</summary>
    public List<byte[]> Log { get; } = new();

    public void Receive(byte[] payload, bool v2)
    {
        if (v2)
        {
            Y.ApplyUpdateV2(Doc, payload, _networkOrigin);
        }
        else
        {
            Y.ApplyUpdate(Doc, payload, _networkOrigin);
        }
    }
}
