using System.Runtime.ExceptionServices;

namespace P2PSync.Crdt.Types;

/// <summary>
/// A list of listeners with the semantics of Yjs EventHandler (renamed: .NET 10 has System.EventHandler<,>): adding appends to the live list
/// (so a listener added while listeners run is still called in that round), removing
/// replaces the list (so a removal does not disturb a round in progress), and one failing
/// listener does not keep the others from being called.
/// </summary>
internal sealed class EventListeners<TArg0, TArg1>
{
    /// <summary>The listeners (Yjs <c>l</c>).</summary>
    internal List<Action<TArg0, TArg1>> L = new();

    public int Count => L.Count;

    public void Add(Action<TArg0, TArg1> f) => L.Add(f);

    /// <summary>Removes every registration of <paramref name="f"/>; returns whether there was one.</summary>
    public bool Remove(Action<TArg0, TArg1> f)
    {
        var old = L;
        var kept = new List<Action<TArg0, TArg1>>(old.Count);
        foreach (var g in old)
        {
            if (!g.Equals(f))
            {
                kept.Add(g);
            }
        }
        L = kept;
        return kept.Count != old.Count;
    }

    public void RemoveAll() => L.Clear();

    /// <summary>Calls every listener; if some throw, the first exception is rethrown after all ran.</summary>
    public void Call(TArg0 arg0, TArg1 arg1)
    {
        var fs = L;
        ExceptionDispatchInfo? first = null;
        for (int i = 0; i < fs.Count; i++)
        {
            try
            {
                fs[i](arg0, arg1);
            }
            catch (Exception e)
            {
                first ??= ExceptionDispatchInfo.Capture(e);
            }
        }
        first?.Throw();
    }
}
