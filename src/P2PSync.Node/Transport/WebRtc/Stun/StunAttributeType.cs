namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// Attribute types we read or write. Values below 0x8000 are comprehension-required: a request
/// carrying one we do not know is answered with 420; values from 0x8000 up may be skipped.
/// </summary>
internal enum StunAttributeType : ushort
{
    MappedAddress = 0x0001,
    Username = 0x0006,
    MessageIntegrity = 0x0008,
    ErrorCode = 0x0009,
    UnknownAttributes = 0x000A,
    XorMappedAddress = 0x0020,
    Priority = 0x0024,
    UseCandidate = 0x0025,
    Software = 0x8022,
    Fingerprint = 0x8028,
    IceControlled = 0x8029,
    IceControlling = 0x802A,
}
