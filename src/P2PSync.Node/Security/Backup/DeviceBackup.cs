using System.Text;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Security.Backup;

/// <summary>
/// Everything a device needs to become itself again on a new machine (<c>p2psync device export</c>
/// / <c>import</c>): its key seed and name, its spaces with their logs and keys, its peers, and the
/// next record sequence number per document. Documents themselves are not included: they come
/// back from peers by sync. Sealed into a file by <see cref="DeviceBackupCodec"/>
/// (docs/protocol/device-backup.md); this record is the JSON inside, byte fields as base64.
/// </summary>
internal sealed record DeviceBackup(
    byte[] DeviceSeed,
    string DeviceName,
    long CreatedMs,
    IReadOnlyList<BackupSpace> Spaces,
    IReadOnlyList<BackupPeer> Peers,
    IReadOnlyList<BackupSeqFloor> SeqFloors)
{
    /// <summary>Longest device name (the same limit as a Hello's device name).</summary>
    public const int MaxDeviceNameLength = EnvelopeValidator.MaxDeviceNameLength;

    /// <summary>
    /// What is wrong with the content, or null when it can be sealed and restored: sizes of every
    /// byte field, names, duplicates, at most one personal space. The membership logs themselves
    /// are checked on restore (<see cref="BackupSpace.Restore"/>), where they are replayed anyway.
    /// JSON can carry null anywhere, hence the null checks on non-nullable members.
    /// </summary>
    public string? FindProblem()
    {
        if (DeviceSeed is null || DeviceSeed.Length != DeviceKey.SeedLength)
        {
            return $"the device seed must be {DeviceKey.SeedLength} bytes";
        }

        if (string.IsNullOrWhiteSpace(DeviceName) || DeviceName.Length > MaxDeviceNameLength)
        {
            return $"the device name must be 1 to {MaxDeviceNameLength} characters and not blank";
        }

        if (Spaces is null || Peers is null || SeqFloors is null)
        {
            return "the spaces, peers and sequence floors lists must be present";
        }

        return FindSpaceProblem() ?? FindPeerProblem() ?? FindSeqFloorProblem();
    }

    // The seed is the device's whole identity: a printed backup must never show it.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"DeviceSeed = (hidden), DeviceName = {DeviceName}, CreatedMs = {CreatedMs}, ");
        builder.Append($"Spaces = {Spaces?.Count}, Peers = {Peers?.Count}, SeqFloors = {SeqFloors?.Count}");
        return true;
    }

    private string? FindSpaceProblem()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var personal = 0;
        for (var i = 0; i < Spaces.Count; i++)
        {
            var space = Spaces[i];
            if (space is null || space.Id is null || space.Id.Length != SpaceId.Length)
            {
                return $"space {i} must have a {SpaceId.Length}-byte id";
            }

            if (!ids.Add(Convert.ToHexString(space.Id)))
            {
                return $"space {i} repeats the id of an earlier space";
            }

            if (space.Name is null || !IsValidName(space.Name))
            {
                return $"space {i} has no valid name";
            }

            if (space.Entries is null || space.Entries.Count == 0 || space.Entries.Any(e => e is null))
            {
                return $"space {i} must have its membership entries";
            }

            if (space.Keys is null || space.Keys.Any(k => k is null || k.Key is null || k.Key.Length != SpaceKey.Length))
            {
                return $"space {i} has a key that is not {SpaceKey.Length} bytes";
            }

            if (space.Keys.Select(k => k.Epoch).Distinct().Count() != space.Keys.Count)
            {
                return $"space {i} has two keys for one epoch";
            }

            personal += space.Personal ? 1 : 0;
        }

        return personal > 1 ? "more than one space is marked personal" : null;
    }

    private string? FindPeerProblem()
    {
        var devices = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Peers.Count; i++)
        {
            var peer = Peers[i];
            if (peer is null || peer.Device is null || peer.Device.Length != DeviceId.KeyLength)
            {
                return $"peer {i} must have a {DeviceId.KeyLength}-byte device key";
            }

            if (!devices.Add(Convert.ToHexString(peer.Device)))
            {
                return $"peer {i} repeats an earlier peer";
            }

            if (peer.Name is null || peer.Addresses is null || peer.Addresses.Any(a => a is null))
            {
                return $"peer {i} must have a name and a list of addresses";
            }
        }

        return null;
    }

    private string? FindSeqFloorProblem()
    {
        var docs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < SeqFloors.Count; i++)
        {
            var floor = SeqFloors[i];
            if (floor is null || floor.DocId is null || !IsValidDocId(floor.DocId))
            {
                return $"sequence floor {i} has no valid document id";
            }

            if (floor.NextSeq < 1)
            {
                return $"sequence floor {i} must be at least 1 (sequence numbers start at 1)";
            }

            if (!docs.Add(floor.DocId))
            {
                return $"sequence floor {i} repeats document {floor.DocId}";
            }
        }

        return null;
    }

    private static bool IsValidName(string name)
    {
        try
        {
            EnvelopeValidator.ValidateName(name);
            return true;
        }
        catch (WireFormatException)
        {
            return false;
        }
    }

    private static bool IsValidDocId(string docId)
    {
        try
        {
            EnvelopeValidator.ValidateDocId(docId);
            return true;
        }
        catch (WireFormatException)
        {
            return false;
        }
    }
}
