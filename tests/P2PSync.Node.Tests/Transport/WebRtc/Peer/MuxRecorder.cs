using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dcep;

namespace P2PSync.Node.Tests.Transport.WebRtc.Peer;

/// <summary>Records what one <see cref="DataChannelMux"/> reports, in order.</summary>
internal sealed class MuxRecorder
{
    public MuxRecorder(DataChannelMux mux)
    {
        mux.ChannelOpenedByPeer += c => Opened.Add(c);
        mux.ChannelAcknowledged += c => Acknowledged.Add(c.StreamId);
        mux.MessageReceived += (c, m) => Messages.Add((c.StreamId, m.IsText, m.Data.ToArray()));
        mux.ChannelClosing += c => Closing.Add(c.StreamId);
        mux.ChannelClosed += c => Closed.Add(c.StreamId);
        mux.AssociationDown += (reason, _) => Down = reason;
    }

    public List<DataChannelMuxChannel> Opened { get; } = [];

    public List<ushort> Acknowledged { get; } = [];

    public List<(ushort StreamId, bool IsText, byte[] Data)> Messages { get; } = [];

    public List<ushort> Closing { get; } = [];

    public List<ushort> Closed { get; } = [];

    public TransportClosedReason? Down { get; private set; }
}
