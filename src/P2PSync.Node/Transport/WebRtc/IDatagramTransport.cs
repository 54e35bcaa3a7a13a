namespace P2PSync.Node.Transport.WebRtc;

/// <summary>
/// One layer of the WebRTC stack as seen by the layer above it: datagrams in, datagrams out, one
/// per call, boundaries kept, no reliability. ICE gives DTLS the selected candidate pair through
/// it; DTLS gives SCTP its decrypted records through it; tests put a seeded lossy in-memory link
/// in between. Sends may be dropped silently (that is UDP); only the end of the transport is an error.
/// </summary>
internal interface IDatagramTransport : IAsyncDisposable
{
    /// <summary>The most bytes one <see cref="SendAsync"/> may carry (ICE: the UDP payload budget; DTLS: that minus record overhead).</summary>
    int MaxDatagramSize { get; }

    /// <summary>Sends one datagram of at most <see cref="MaxDatagramSize"/> bytes.</summary>
    /// <exception cref="ArgumentException">The datagram is larger than <see cref="MaxDatagramSize"/>.</exception>
    /// <exception cref="TransportClosedException">The transport has ended.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken);

    /// <summary>Waits for the next datagram and copies it into <paramref name="buffer"/>; returns its length.</summary>
    /// <remarks>A datagram longer than the buffer is dropped and counted, never truncated silently.</remarks>
    /// <exception cref="TransportClosedException">The transport has ended (closed by either side, or consent lost).</exception>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Raised once when the transport ends, with why.</summary>
    event Action<TransportClosedReason>? Closed;
}
