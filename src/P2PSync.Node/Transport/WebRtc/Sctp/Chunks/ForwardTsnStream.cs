namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>In FORWARD TSN: on ordered stream <see cref="StreamId"/>, every message up to and including <see cref="Ssn"/> was skipped.</summary>
internal readonly record struct ForwardTsnStream(ushort StreamId, ushort Ssn);
