namespace P2PSync.Interop.Tests.Handoff;

/// <summary>One server-sent handoff event (<c>event: KIND</c>, <c>data: {id, peer, bytesDone, bytesTotal, reason}</c>) and when it arrived.</summary>
internal sealed record HandoffEventRecord(string Kind, string Id, string Peer, long BytesDone, long BytesTotal, string? Reason, TimeSpan At);
