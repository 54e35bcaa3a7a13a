namespace P2PSync.Node.Storage;

/// <summary>One epoch's content key of a space, as the vault protected it (the store never sees the key).</summary>
/// <param name="Epoch">The key epoch (0 for the key made with the space).</param>
/// <param name="ProtectedKey">KeyVault output for the key, context = space id || epoch.</param>
internal sealed record SpaceKeyRow(ulong Epoch, byte[] ProtectedKey)
{
    public bool Equals(SpaceKeyRow? other) =>
        other is not null && Epoch == other.Epoch && StoreBlobs.SameBytes(ProtectedKey, other.ProtectedKey);

    public override int GetHashCode() => HashCode.Combine(Epoch, StoreBlobs.HashOf(ProtectedKey));
}
