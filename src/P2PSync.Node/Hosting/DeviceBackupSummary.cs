using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>What a device export wrote or an import restored, for the user.</summary>
internal sealed record DeviceBackupSummary(DeviceId Device, string DeviceName, int Spaces, int Peers, int SeqFloors);
