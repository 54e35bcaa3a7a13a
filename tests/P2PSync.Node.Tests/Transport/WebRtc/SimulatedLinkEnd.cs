namespace P2PSync.Node.Tests.Transport.WebRtc;

/// <summary>
/// One side of a <see cref="SeededLossyLink"/>: how to hand it a packet, fire its timer and ask
/// when that timer is due. Delegates, because the endpoints (an SCTP association, a data channel
/// mux) are product types that share no interface.
/// </summary>
internal sealed record SimulatedLinkEnd(Action<byte[], long> HandleInput, Action<long> HandleTimeout, Func<long?> NextTimeoutMs);
