using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Security.Backup;

/// <summary>
/// One space in a device backup: id, name, whether it is the personal space, its membership log
/// (each entry's MembershipEntryCodec bytes, in order) and every content key held.
/// </summary>
internal sealed record BackupSpace(
    byte[] Id, string Name, bool Personal, long CreatedMs, IReadOnlyList<byte[]> Entries, IReadOnlyList<BackupSpaceKey> Keys)
{
    /// <summary>What the backup keeps of <paramref name="space"/>.</summary>
    public static BackupSpace From(Space space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var keys = new List<BackupSpaceKey>();
        foreach (var epoch in space.Keys.Epochs)
        {
            if (space.Keys.TryGet(epoch, out var key))
            {
                keys.Add(new BackupSpaceKey(epoch, key.Bytes.ToArray()));
            }
        }

        return new BackupSpace(
            space.Id.Bytes.ToArray(), space.Name, space.Personal, space.CreatedMs,
            [.. space.Log.Entries.Select(MembershipEntryCodec.Encode)], keys);
    }

    /// <summary>The space rebuilt for the directory: the log is re-checked entry by entry (see <see cref="Space.Restore"/>).</summary>
    /// <exception cref="MembershipFormatException">An entry is not a membership entry.</exception>
    /// <exception cref="MembershipException">The entries are not a valid log of this space.</exception>
    public Space Restore()
    {
        var keys = Keys.Select(k => new SpaceKey(k.Epoch, k.Key)).ToList();
        try
        {
            return Space.Restore(SpaceId.FromBytes(Id), Name, Personal, CreatedMs, Entries, keys);
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }
}
