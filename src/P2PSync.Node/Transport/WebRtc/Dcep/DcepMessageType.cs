namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>The first byte of every DCEP message (RFC 8832 §8.2.1). Other values are reserved.</summary>
internal enum DcepMessageType : byte
{
    Ack = 0x02,
    Open = 0x03,
}
