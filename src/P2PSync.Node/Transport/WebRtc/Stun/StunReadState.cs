using System.Net;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>What <see cref="StunReader"/>'s attribute loop has seen so far in one message (first occurrence wins).</summary>
internal sealed class StunReadState
{
    public string? Username { get; set; }

    public ulong? IceControlling { get; set; }

    public ulong? IceControlled { get; set; }

    public bool UseCandidate { get; set; }

    public uint? Priority { get; set; }

    public StunErrorCode? ErrorCode { get; set; }

    public List<ushort> UnknownAttributes { get; } = [];

    public IPEndPoint? XorMappedAddress { get; set; }

    public IPEndPoint? MappedAddress { get; set; }

    public string? Software { get; set; }

    public int? IntegrityOffset { get; set; }

    public bool HasFingerprint { get; set; }

    public List<ushort> UnknownRequired { get; } = [];

    public int Ignored { get; set; }
}
