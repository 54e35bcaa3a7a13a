namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>Limits and clock for a <see cref="DtlsSession"/>.</summary>
internal sealed class DtlsSessionOptions
{
    /// <summary>How long the handshake may take from <see cref="DtlsSession.Start"/>; then the session ends as TimedOut.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Datagrams from below waiting for BC, including those that arrive before the role is known (oldest dropped when full).</summary>
    public int InboundQueueCapacity { get; init; } = 256;

    /// <summary>
    /// Decrypted datagrams waiting for the layer above; when full the pump waits (back-pressure into
    /// the transport below, whose own queue then drops). 2048 records (about 2.4 MB at most) hold
    /// a whole 2 MB congestion window, so a reader that is descheduled for a moment under load costs
    /// no datagrams, hence no retransmissions and no halved cwnd (the bench saw those at 256).
    /// </summary>
    public int PlaintextQueueCapacity { get; init; } = 2048;

    /// <summary>The clock for the handshake timer and receive waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
