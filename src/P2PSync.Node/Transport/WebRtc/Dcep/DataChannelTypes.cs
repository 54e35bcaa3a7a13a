namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>Reads the two independent properties packed into a <see cref="DataChannelType"/> byte.</summary>
internal static class DataChannelTypes
{
    private const byte UnorderedBit = 0x80;

    public static bool IsDefined(byte value) =>
        (value & ~UnorderedBit) is 0x00 or 0x01 or 0x02;

    public static bool IsOrdered(this DataChannelType type) => ((byte)type & UnorderedBit) == 0;

    public static DataChannelReliability Reliability(this DataChannelType type) =>
        ((byte)type & ~UnorderedBit) switch
        {
            0x01 => DataChannelReliability.MaxRetransmits,
            0x02 => DataChannelReliability.MaxLifetime,
            _ => DataChannelReliability.Reliable,
        };

    /// <summary>The type byte for a channel with these properties (what createDataChannel's options map to).</summary>
    public static DataChannelType From(bool ordered, DataChannelReliability reliability)
    {
        var low = reliability switch
        {
            DataChannelReliability.Reliable => 0x00,
            DataChannelReliability.MaxRetransmits => 0x01,
            DataChannelReliability.MaxLifetime => 0x02,
            _ => throw new ArgumentOutOfRangeException(nameof(reliability), reliability, "unknown reliability"),
        };
        return (DataChannelType)(ordered ? low : low | UnorderedBit);
    }
}
