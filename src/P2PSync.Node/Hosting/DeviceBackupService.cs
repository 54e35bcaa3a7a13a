using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Backup;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// <c>p2psync device export</c> / <c>import</c>: a device's identity, spaces (logs and keys),
/// peers and own record-sequence floors, sealed with a passphrase (docs/protocol/device-backup.md).
/// Export reads the store, whether or not a node runs. Import restores into a data directory with
/// no device key and no running node; documents are not in the backup: peers send them again.
/// </summary>
internal sealed class DeviceBackupService
{
    private readonly TimeProvider _time;
    private readonly Argon2idCost _cost;

    /// <param name="cost">Argon2id cost of exports (<see cref="DeviceBackupCodec.DefaultCost"/> for users; tests pass the minimum to stay fast).</param>
    public DeviceBackupService(TimeProvider time, Argon2idCost cost)
    {
        _time = time;
        _cost = cost;
    }

    /// <summary>Seals this device into <paramref name="file"/> (created with mode 0600; never over an existing file).</summary>
    /// <exception cref="DeviceTransferException">No device key, the file exists or cannot be written.</exception>
    public DeviceBackupSummary Export(string dataDirectory, string deviceName, string passphrase, string file)
    {
        if (!DeviceKeyStore.Exists(dataDirectory))
        {
            throw new DeviceTransferException($"{dataDirectory} has no device key, so there is no device to export (run `p2psync init` or `p2psync up` first)", badInput: false);
        }

        if (File.Exists(file))
        {
            throw new DeviceTransferException($"{file} already exists; choose a new file name (an export never overwrites)", badInput: true);
        }

        using var key = DeviceKeyStore.Load(dataDirectory);
        using var store = NodeHost.OpenStore(dataDirectory, _time);
        var backup = Collect(store, key, deviceName);
        var sealedBytes = DeviceBackupCodec.Seal(backup, passphrase, _cost);
        try
        {
            WriteOwnerOnly(file, sealedBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceTransferException($"cannot write {file}: {ex.Message}", badInput: false, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(backup.DeviceSeed);
        }

        return new DeviceBackupSummary(key.Id, backup.DeviceName, backup.Spaces.Count, backup.Peers.Count, backup.SeqFloors.Count);
    }

    /// <summary>Restores the device in <paramref name="file"/> into <paramref name="dataDirectory"/>; every check runs before anything is written.</summary>
    /// <exception cref="DeviceTransferException">The directory has a key or a running node, the file cannot be read, or its spaces are invalid.</exception>
    /// <exception cref="DeviceBackupException">Not a backup, damaged, another version, or the wrong passphrase.</exception>
    public DeviceBackupSummary Import(string dataDirectory, string passphrase, string file)
    {
        if (DeviceKeyStore.Exists(dataDirectory))
        {
            throw new DeviceTransferException(
                $"{dataDirectory} already has a device key: import only into a new data directory (e.g. --data /path/to/new), so no device's identity is replaced", badInput: false);
        }

        if (ApiEndpointFile.ReadLive(dataDirectory) is not null)
        {
            throw new DeviceTransferException($"a node is running for {dataDirectory}: stop it (Ctrl-C in `p2psync up`) before importing", badInput: false);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceTransferException($"cannot read {file}: {ex.Message}", badInput: true, ex);
        }

        var backup = DeviceBackupCodec.Open(bytes, passphrase);
        try
        {
            RequireValidContent(backup);
            return Restore(dataDirectory, backup);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(backup.DeviceSeed);
        }
    }

    /// <summary>The backup content: key seed and name, spaces with keys, every known peer, and the own-seq floor of every document this device signed in.</summary>
    private DeviceBackup Collect(NodeStore store, DeviceKey key, string deviceName)
    {
        using var spaces = new NodeSpaces(store.Spaces, store.Invites, key, new Lock(), _time, NullLogger.Instance);
        var backupSpaces = spaces.List().Select(BackupSpace.From).ToList();
        var peers = store.Peers.ListAll()
            .Select(p => new BackupPeer(p.DeviceId.PublicKey.ToArray(), p.Name ?? "", [.. p.Addresses], p.Trusted))
            .ToList();
        var floors = new List<BackupSeqFloor>();
        var self = key.PublicKey.ToArray();
        foreach (var document in store.Documents.List())
        {
            var ownMax = store.Documents.LoadRecords(document.Id)
                .Where(r => r.Author.AsSpan().SequenceEqual(self))
                .Select(r => r.Seq)
                .DefaultIfEmpty(0UL)
                .Max();

            // Never below a floor an earlier import set: those seqs were signed on the old machine.
            var next = Math.Max(ownMax + 1, (ulong)Math.Max(1, store.Documents.OwnNextSeqFloor(document.Id)));
            if (next > 1)
            {
                floors.Add(new BackupSeqFloor(document.Id, next));
            }
        }

        var name = string.IsNullOrWhiteSpace(deviceName) ? "p2psync device" : deviceName.Trim();
        if (name.Length > DeviceBackup.MaxDeviceNameLength)
        {
            name = name[..DeviceBackup.MaxDeviceNameLength];
        }

        return new DeviceBackup(key.Seed.ToArray(), name, _time.GetUtcNow().ToUnixTimeMilliseconds(), backupSpaces, peers, floors);
    }

    /// <summary>Replays every space's log (as the store's loader would) and checks every peer, so a bad backup is refused before anything is written.</summary>
    private static void RequireValidContent(DeviceBackup backup)
    {
        foreach (var space in backup.Spaces)
        {
            try
            {
                var restored = space.Restore();
                restored.Keys.Dispose();
            }
            catch (Exception ex) when (ex is MembershipException or MembershipFormatException or SpaceKeyException)
            {
                throw new DeviceTransferException($"the backup opened, but its space \"{space.Name}\" is not valid: {ex.Message}", badInput: true, ex);
            }
        }

        if (backup.SeqFloors.Any(f => f.NextSeq > long.MaxValue))
        {
            throw new DeviceTransferException("the backup opened, but a sequence floor is out of range", badInput: true);
        }

        // The peer list's own rules, checked here so that a peer the store would refuse cannot
        // stop the import halfway through writing.
        foreach (var peer in backup.Peers)
        {
            try
            {
                PeerAddresses.ValidateAll(peer.Addresses);
                if (peer.Trusted && peer.Name.Length > 0)
                {
                    DocumentNames.Validate(peer.Name, "peer name");
                }
            }
            catch (InvalidStoreInputException ex)
            {
                throw new DeviceTransferException($"the backup opened, but its peer {DeviceId.FromPublicKey(peer.Device).ToShortString()} is not valid: {ex.Message}", badInput: true, ex);
            }
        }
    }

    /// <summary>
    /// Writes spaces (keys protected by the restored key's vault), peers and floors, then the key
    /// last: a data directory has a key only once the import is complete. If writing fails in a
    /// store this import created, the store is deleted again, so the directory is as it was.
    /// </summary>
    private DeviceBackupSummary Restore(string dataDirectory, DeviceBackup backup)
    {
        var storePath = Path.Combine(dataDirectory, NodeStore.FileName);
        var storeExisted = File.Exists(storePath);
        using var key = DeviceKey.FromSeed(backup.DeviceSeed);
        try
        {
            using (var store = NodeHost.OpenStore(dataDirectory, _time))
            {
                if (store.Spaces.ListSpaces().Count > 0)
                {
                    throw new DeviceTransferException($"{dataDirectory} already holds spaces: import only into a new data directory", badInput: false);
                }

                WriteSpaces(store, key, backup);
                WritePeers(store, backup);
                foreach (var floor in backup.SeqFloors)
                {
                    store.Documents.SetOwnSeqFloor(floor.DocId, (long)floor.NextSeq);
                }
            }

            DeviceKeyStore.Restore(dataDirectory, backup.DeviceSeed).Dispose();
        }
        catch (Exception ex) when (!storeExisted && ex is not DeviceTransferException)
        {
            DeleteStore(storePath);
            throw;
        }

        return new DeviceBackupSummary(key.Id, backup.DeviceName, backup.Spaces.Count, backup.Peers.Count, backup.SeqFloors.Count);
    }

    private static void WriteSpaces(NodeStore store, DeviceKey key, DeviceBackup backup)
    {
        using var vault = new KeyVault(key);
        foreach (var space in backup.Spaces)
        {
            store.Spaces.Insert(space.Id, space.Name, space.CreatedMs, space.Personal);
            store.Spaces.AppendEntries(space.Id, space.Entries, 0);
            foreach (var spaceKey in space.Keys)
            {
                store.Spaces.PutKey(space.Id, spaceKey.Epoch, vault.Protect(spaceKey.Key, KeyContext(space.Id, spaceKey.Epoch)));
            }
        }
    }

    private static void WritePeers(NodeStore store, DeviceBackup backup)
    {
        foreach (var peer in backup.Peers)
        {
            var device = DeviceId.FromPublicKey(peer.Device);
            if (peer.Trusted)
            {
                store.Peers.Add(device, peer.Name.Length == 0 ? null : peer.Name, [.. peer.Addresses]);
            }
            else
            {
                store.Peers.AddMemberPeer(device, [.. peer.Addresses]);
            }
        }
    }

    /// <summary>The vault context of a space key, as the node protects it (contract: space id || epoch u64BE).</summary>
    private static byte[] KeyContext(byte[] space, ulong epoch)
    {
        var context = new byte[SpaceId.Length + sizeof(ulong)];
        space.CopyTo(context, 0);
        BinaryPrimitives.WriteUInt64BigEndian(context.AsSpan(SpaceId.Length), epoch);
        return context;
    }

    private static void WriteOwnerOnly(string file, byte[] bytes)
    {
        var temp = file + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, file, overwrite: false);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static void DeleteStore(string storePath)
    {
        foreach (var path in new[] { storePath, storePath + "-wal", storePath + "-shm" })
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the import failed either way, and says so.
            }
        }
    }
}
