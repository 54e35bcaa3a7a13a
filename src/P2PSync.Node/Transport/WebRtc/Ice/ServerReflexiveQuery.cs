namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>An unauthenticated Binding request to the STUN server from one socket, awaiting the mapped address.</summary>
internal sealed class ServerReflexiveQuery
{
    public required IceSocket Socket { get; init; }

    public required byte[] Request { get; init; }

    public int Sends { get; set; } = 1;

    public long NextSendMs { get; set; }
}
