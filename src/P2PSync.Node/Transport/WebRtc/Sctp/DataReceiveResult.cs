namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>What <see cref="DataReceiver.Receive"/> did with a DATA chunk.</summary>
internal enum DataReceiveResult
{
    Accepted,
    Duplicate,
    DroppedNoRoom,
}
