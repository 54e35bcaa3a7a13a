namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>What <see cref="DataReceiver.Receive"/> did with a DATA chunk.</summary>
internal enum DataReceiveResult
{
    Accepted,
    Duplicate,
    DroppedNoRoom,

    /// <summary>Taken (its TSN counts as received) but the message it belongs to is larger than our max-message-size and was dropped; reported once per message.</summary>
    Oversized,
}
