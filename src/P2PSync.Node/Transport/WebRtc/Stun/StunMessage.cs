using System.Net;

namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// One STUN message with the attributes ICE uses as typed properties. The writer emits them in a
/// fixed order (the order Chromium's checks use); the reader fills them and also records where
/// MESSAGE-INTEGRITY sits so the caller can verify it with the right key once it knows which.
/// </summary>
internal sealed class StunMessage
{
    public required StunMethod Method { get; init; }

    public required StunClass Class { get; init; }

    public required TransactionId TransactionId { get; init; }

    /// <summary>USERNAME; for ICE "receiver ufrag:sender ufrag".</summary>
    public string? Username { get; init; }

    public ulong? IceControlling { get; init; }

    public ulong? IceControlled { get; init; }

    public bool UseCandidate { get; init; }

    public uint? Priority { get; init; }

    public StunErrorCode? ErrorCode { get; init; }

    /// <summary>The UNKNOWN-ATTRIBUTES list of a 420 response.</summary>
    public IReadOnlyList<ushort> UnknownAttributes { get; init; } = [];

    public IPEndPoint? XorMappedAddress { get; init; }

    /// <summary>Legacy MAPPED-ADDRESS (read only: old servers send it instead of the XOR form).</summary>
    public IPEndPoint? MappedAddress { get; init; }

    public string? Software { get; init; }

    /// <summary>Reading only: offset of the MESSAGE-INTEGRITY attribute header, if the message had one.</summary>
    public int? MessageIntegrityOffset { get; init; }

    /// <summary>Reading only: a FINGERPRINT was present (and correct, or the read would have failed).</summary>
    public bool HasFingerprint { get; init; }

    /// <summary>Reading only: comprehension-required types (below 0x8000) this code does not know.</summary>
    public IReadOnlyList<ushort> UnknownComprehensionRequired { get; init; } = [];

    /// <summary>Reading only: optional attributes skipped, duplicates and anything after MESSAGE-INTEGRITY.</summary>
    public int IgnoredAttributeCount { get; init; }

    /// <summary>The address a response reports, preferring the XOR form.</summary>
    public IPEndPoint? ReflexiveAddress => XorMappedAddress ?? MappedAddress;
}
