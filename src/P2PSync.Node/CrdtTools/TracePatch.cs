namespace P2PSync.Node.CrdtTools;

/// <summary>
/// One splice of an editing trace: at <see cref="Position"/> delete <see cref="DeleteCount"/>
/// characters, then insert <see cref="Insert"/>. Position and count are Unicode code points.
/// </summary>
internal readonly record struct TracePatch(int Position, int DeleteCount, string Insert);
