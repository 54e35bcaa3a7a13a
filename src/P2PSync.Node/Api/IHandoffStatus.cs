using P2PSync.Node.Hosting;

namespace P2PSync.Node.Api;

/// <summary>
/// The running node's handoff and presence side, for the activity and handoff endpoints and the
/// peers' <c>open</c> documents. Read from the
/// <see cref="INodeStatus"/> the server was given when it is one (the running node is), like
/// <see cref="INearbyStatus"/>, so the server's wiring did not have to change.
/// </summary>
internal interface IHandoffStatus
{
    NodeHandoff Handoff { get; }

    NodeAwareness Awareness { get; }
}
