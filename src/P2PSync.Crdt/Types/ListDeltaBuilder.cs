namespace P2PSync.Crdt.Types;

/// <summary>
/// Accumulates runs of inserted elements, deletions and retains into array-delta ops
/// (Yjs's <c>lastOp</c>/<c>packOp</c> in YEvent.changes): adjacent runs of one kind merge,
/// and a trailing retain is dropped.
/// </summary>
internal struct ListDeltaBuilder
{
    private readonly List<DeltaOp> delta;
    private List<object?>? insert;
    private int delete;
    private int retain;
    private Kind last;

    public ListDeltaBuilder(List<DeltaOp> delta)
    {
        this.delta = delta;
        insert = null;
        delete = 0;
        retain = 0;
        last = Kind.None;
    }

    private enum Kind
    {
        None,
        Insert,
        Delete,
        Retain,
    }

    public void Insert(IReadOnlyList<object?> values)
    {
        if (last != Kind.Insert)
        {
            Pack();
            last = Kind.Insert;
            insert = new List<object?>();
        }
        insert!.AddRange(values);
    }

    public void Delete(int length)
    {
        if (last != Kind.Delete)
        {
            Pack();
            last = Kind.Delete;
            delete = 0;
        }
        delete += length;
    }

    public void Retain(int length)
    {
        if (last != Kind.Retain)
        {
            Pack();
            last = Kind.Retain;
            retain = 0;
        }
        retain += length;
    }

    /// <summary>Emits the pending op unless it is a retain (trailing retains carry no information).</summary>
    public void Finish()
    {
        if (last != Kind.Retain)
        {
            Pack();
        }
        last = Kind.None;
    }

    private void Pack()
    {
        switch (last)
        {
            case Kind.Insert:
                delta.Add(DeltaOp.InsertOp(insert!));
                insert = null;
                break;
            case Kind.Delete:
                delta.Add(DeltaOp.DeleteOp(delete));
                break;
            case Kind.Retain:
                delta.Add(DeltaOp.RetainOp(retain));
                break;
        }
    }
}
