namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>STUN methods we speak. ICE needs Binding only; other methods are refused as unsupported.</summary>
internal enum StunMethod : ushort
{
    Binding = 0x001,
}
