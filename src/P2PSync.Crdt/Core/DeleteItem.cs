namespace P2PSync.Crdt.Core;

/// <summary>A range of deleted clock ticks [Clock, Clock + Len) of one client.</summary>
internal readonly record struct DeleteItem(int Clock, int Len);
