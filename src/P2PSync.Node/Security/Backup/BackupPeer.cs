namespace P2PSync.Node.Security.Backup;

/// <summary>
/// A peer in a device backup: its Ed25519 public key (the DeviceId bytes, base64 in the JSON), the
/// name it is known by, where it was last reached, and whether it is one of the user's own devices
/// (trusted, <c>peer add</c>) or only a member of a shared space.
/// </summary>
internal sealed record BackupPeer(byte[] Device, string Name, IReadOnlyList<string> Addresses, bool Trusted);
