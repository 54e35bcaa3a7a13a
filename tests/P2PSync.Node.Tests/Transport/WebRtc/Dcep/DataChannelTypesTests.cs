using P2PSync.Node.Transport.WebRtc.Dcep;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dcep;

public sealed class DataChannelTypesTests
{
    [Theory]
    [InlineData(true, (int)DataChannelReliability.Reliable, (byte)DataChannelType.Reliable, 0x00)]
    [InlineData(false, (int)DataChannelReliability.Reliable, (byte)DataChannelType.ReliableUnordered, 0x80)]
    [InlineData(true, (int)DataChannelReliability.MaxRetransmits, (byte)DataChannelType.PartialReliableRexmit, 0x01)]
    [InlineData(false, (int)DataChannelReliability.MaxRetransmits, (byte)DataChannelType.PartialReliableRexmitUnordered, 0x81)]
    [InlineData(true, (int)DataChannelReliability.MaxLifetime, (byte)DataChannelType.PartialReliableTimed, 0x02)]
    [InlineData(false, (int)DataChannelReliability.MaxLifetime, (byte)DataChannelType.PartialReliableTimedUnordered, 0x82)]
    public void Ordering_and_reliability_map_to_the_rfc_bytes(bool ordered, int reliabilityValue, byte typeValue, byte wire)
    {
        var reliability = (DataChannelReliability)reliabilityValue;
        var type = (DataChannelType)typeValue;
        Assert.Equal(type, DataChannelTypes.From(ordered, reliability));
        Assert.Equal(wire, (byte)type);
        Assert.Equal(ordered, type.IsOrdered());
        Assert.Equal(reliability, type.Reliability());
    }

    [Fact]
    public void Exactly_the_six_rfc_values_are_defined()
    {
        var defined = Enumerable.Range(0, 256).Where(b => DataChannelTypes.IsDefined((byte)b)).ToArray();

        Assert.Equal([0x00, 0x01, 0x02, 0x80, 0x81, 0x82], defined);
    }
}
