using System.Collections.Concurrent;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// Challenge nonces that were issued and not yet used. A nonce is accepted at most once: Consume
/// removes it, so the same signed answer can never authenticate a second time, even if a client
/// found a way to present it twice. Bounded by the number of open connections, because every
/// connection forgets its nonce when it ends.
/// </summary>
internal sealed class NonceLedger
{
    private readonly ConcurrentDictionary<string, byte> _outstanding = new(StringComparer.Ordinal);

    public void Issue(byte[] nonce) => _outstanding[Convert.ToHexString(nonce)] = 0;

    /// <summary>True the first time for an issued nonce; false afterwards or for a nonce never issued.</summary>
    public bool Consume(byte[] nonce) => _outstanding.TryRemove(Convert.ToHexString(nonce), out _);

    public void Forget(byte[] nonce) => _outstanding.TryRemove(Convert.ToHexString(nonce), out _);

    public int Outstanding => _outstanding.Count;
}
