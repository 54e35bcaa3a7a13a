namespace P2PSync.Relay.Storage;

/// <summary>One page of a topic; <see cref="More"/> says envelopes remain after the last item.</summary>
internal sealed record FetchResult(IReadOnlyList<StoredEnvelope> Items, bool More);
