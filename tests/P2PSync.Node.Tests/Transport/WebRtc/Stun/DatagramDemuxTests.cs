using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Tests.Transport.WebRtc.Stun;

public sealed class DatagramDemuxTests
{
    [Theory]
    [InlineData(0, (int)DatagramKind.Stun)]
    [InlineData(3, (int)DatagramKind.Stun)]
    [InlineData(4, (int)DatagramKind.Unknown)]
    [InlineData(16, (int)DatagramKind.Zrtp)]
    [InlineData(19, (int)DatagramKind.Zrtp)]
    [InlineData(20, (int)DatagramKind.Dtls)]
    [InlineData(22, (int)DatagramKind.Dtls)]
    [InlineData(63, (int)DatagramKind.Dtls)]
    [InlineData(64, (int)DatagramKind.TurnChannel)]
    [InlineData(79, (int)DatagramKind.TurnChannel)]
    [InlineData(80, (int)DatagramKind.Unknown)]
    [InlineData(128, (int)DatagramKind.Rtp)]
    [InlineData(191, (int)DatagramKind.Rtp)]
    [InlineData(192, (int)DatagramKind.Unknown)]
    [InlineData(255, (int)DatagramKind.Unknown)]
    public void FirstByte_PicksTheProtocol(int first, int kind)
    {
        Assert.Equal((DatagramKind)kind, DatagramDemux.Classify([(byte)first, 0, 0]));
    }

    [Fact]
    public void EmptyDatagram_IsUnknown()
    {
        Assert.Equal(DatagramKind.Unknown, DatagramDemux.Classify([]));
    }
}
