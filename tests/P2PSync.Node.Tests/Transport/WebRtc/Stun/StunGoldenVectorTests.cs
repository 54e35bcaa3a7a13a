using System.Net;
using System.Text;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Tests.Transport.WebRtc.Stun;

public sealed class StunGoldenVectorTests
{
    private static byte[] Key => Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void Rfc5769Request_ParsesEveryAttribute_AndIntegrityVerifies()
    {
        byte[] bytes = Rfc5769Vectors.Request;

        StunMessage message = StunReader.Read(bytes);

        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal("b7e7a701bc34d686fa87dfae", message.TransactionId.ToString());
        Assert.Equal("STUN test client", message.Software);
        Assert.Equal(0x6e0001ffu, message.Priority);
        Assert.Equal(0x932ff9b151263b36ul, message.IceControlled);
        Assert.Null(message.IceControlling);
        Assert.Equal("evtj:h6vY", message.Username);
        Assert.True(message.HasFingerprint);
        Assert.NotNull(message.MessageIntegrityOffset);
        Assert.True(StunIntegrity.VerifyIntegrity(bytes, message.MessageIntegrityOffset!.Value, Key));
        Assert.False(StunIntegrity.VerifyIntegrity(bytes, message.MessageIntegrityOffset.Value, "VOkJxbRl1RmTxUk/WvJxBu"u8));
    }

    [Fact]
    public void Rfc5769Responses_DecodeXorMappedAddress_ForBothFamilies()
    {
        StunMessage v4 = StunReader.Read(Rfc5769Vectors.ResponseIPv4);
        StunMessage v6 = StunReader.Read(Rfc5769Vectors.ResponseIPv6);

        Assert.Equal(StunClass.SuccessResponse, v4.Class);
        Assert.Equal("test vector", v4.Software);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), v4.XorMappedAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), v6.XorMappedAddress);
        Assert.True(StunIntegrity.VerifyIntegrity(Rfc5769Vectors.ResponseIPv4, v4.MessageIntegrityOffset!.Value, Key));
        Assert.True(StunIntegrity.VerifyIntegrity(Rfc5769Vectors.ResponseIPv6, v6.MessageIntegrityOffset!.Value, Key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writer_ReproducesRfc5769ResponseLayout_UpToTheSpacePadding(bool ipv6)
    {
        byte[] vector = ipv6 ? Rfc5769Vectors.ResponseIPv6 : Rfc5769Vectors.ResponseIPv4;
        StunMessage parsed = StunReader.Read(vector);
        var response = new StunMessage
        {
            Method = StunMethod.Binding,
            Class = StunClass.SuccessResponse,
            TransactionId = parsed.TransactionId,
            Software = "test vector",
            XorMappedAddress = parsed.XorMappedAddress,
        };

        byte[] ours = StunWriter.Encode(response, Key, addFingerprint: true);

        // RFC 5769 pads "test vector" with a space; we pad with zero (RFC 8489 §14), so the MAC
        // differs. Everything before the MAC value must be byte-identical, and our MAC must verify.
        byte[] expected = (byte[])vector.Clone();
        expected[20 + 4 + 11] = 0;
        int macStart = parsed.MessageIntegrityOffset!.Value + 4;
        Assert.Equal(vector.Length, ours.Length);
        Assert.Equal(Convert.ToHexString(expected, 0, macStart), Convert.ToHexString(ours, 0, macStart));
        StunMessage reread = StunReader.Read(ours);
        Assert.True(StunIntegrity.VerifyIntegrity(ours, reread.MessageIntegrityOffset!.Value, Key));
    }

    [Fact]
    public void Crc32_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Theory]
    [InlineData((int)StunClass.Request, 0x0001)]
    [InlineData((int)StunClass.Indication, 0x0011)]
    [InlineData((int)StunClass.SuccessResponse, 0x0101)]
    [InlineData((int)StunClass.ErrorResponse, 0x0111)]
    public void BindingTypes_PackClassBitsAsTheRfcSays(int classBits, int expected)
    {
        var stunClass = (StunClass)classBits;
        ushort type = StunHeader.EncodeType(StunMethod.Binding, stunClass);

        Assert.Equal(expected, type);
        Assert.Equal((1, stunClass), StunHeader.DecodeType(type));
    }
}
