namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>Limits and clock for a <see cref="DtlsSession"/>.</summary>
internal sealed class DtlsSessionOptions
{
    /// <summary>How long the handshake may take from <see cref="DtlsSession.Start"/>; then the session ends as TimedOut.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Datagrams from below waiting for BC, including those that arrive before the role is known (oldest dropped when full).</summary>
    public int InboundQueueCapacity { get; init; } = 256;

    /// <summary>Decrypted datagrams waiting for the layer above; when full the reader thread waits (back-pressure into the inbound queue).</summary>
    public int PlaintextQueueCapacity { get; init; } = 256;

    /// <summary>The clock for the handshake timer and receive waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
