using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

/// <summary>Records everything an association tells its user, in order.</summary>
internal sealed class RecordingSctpUser : ISctpUser
{
    public List<(ushort StreamId, uint Ppid, byte[] Payload)> Messages { get; } = [];

    public List<(ushort StreamId, bool Incoming)> Resets { get; } = [];

    public int UpCount { get; private set; }

    public (TransportClosedReason Reason, string Detail)? Down { get; private set; }

    public int DownCount { get; private set; }

    public void OnMessage(ushort streamId, uint ppid, ReadOnlyMemory<byte> payload) => Messages.Add((streamId, ppid, payload.ToArray()));

    public void OnStreamReset(ushort streamId, bool incoming) => Resets.Add((streamId, incoming));

    public void OnAssociationUp() => UpCount++;

    public void OnAssociationDown(TransportClosedReason reason, string detail)
    {
        Down = (reason, detail);
        DownCount++;
    }
}
