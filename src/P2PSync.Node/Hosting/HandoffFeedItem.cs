using P2PSync.Node.Handoff;

namespace P2PSync.Node.Hosting;

/// <summary>A handoff event with its place in the node's event feed (the SSE id: clients resume after it).</summary>
internal sealed record HandoffFeedItem(long Seq, HandoffEvent Event);
