namespace P2PSync.Relay.Mailbox;

/// <summary>One received WebSocket message in a buffer rented from ArrayPool; the reader returns it.</summary>
internal readonly record struct PooledMessage(byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);
}
