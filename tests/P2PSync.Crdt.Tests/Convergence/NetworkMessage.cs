namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>An update travelling from one replica to another, in the format it was produced in.</summary>
internal sealed record NetworkMessage(int From, int To, byte[] Payload, bool V2);
