namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// The priority values RFC 8832 §5.1 names (they match the W3C RTCPriorityType). Any 16-bit value
/// is legal on the wire, so a peer's odd value is kept, not refused; these are what we send.
/// </summary>
internal static class DataChannelPriority
{
    public const ushort BelowNormal = 128;
    public const ushort Normal = 256;
    public const ushort High = 512;
    public const ushort ExtraHigh = 1024;
}
