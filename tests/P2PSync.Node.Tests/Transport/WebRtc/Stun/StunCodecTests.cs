using System.Buffers.Binary;
using System.Net;
using System.Text;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Tests.Transport.WebRtc.Stun;

public sealed class StunCodecTests
{
    private static byte[] Key => "remote-password-22chars"u8.ToArray();

    [Fact]
    public void ControllingCheck_RoundTrips_WithTheLayoutChromiumUses()
    {
        var check = new StunMessage
        {
            Method = StunMethod.Binding,
            Class = StunClass.Request,
            TransactionId = TransactionId.Create(new Random(1)),
            Username = "abcd:wxyz",
            IceControlling = 0x0102030405060708,
            UseCandidate = true,
            Priority = 1845501695,
        };

        byte[] bytes = StunWriter.Encode(check, Key, addFingerprint: true);
        StunMessage back = StunReader.Read(bytes);

        // Chromium's is 100 bytes: the same attributes plus its 8-byte GOOG-NETWORK-INFO.
        Assert.Equal(92, bytes.Length);
        Assert.Equal(
            new ushort[] { 0x0006, 0x802A, 0x0025, 0x0024, 0x0008, 0x8028 },
            AttributeTypes(bytes));
        Assert.Equal(check.TransactionId, back.TransactionId);
        Assert.Equal("abcd:wxyz", back.Username);
        Assert.Equal(0x0102030405060708ul, back.IceControlling);
        Assert.True(back.UseCandidate);
        Assert.Equal(1845501695u, back.Priority);
        Assert.True(back.HasFingerprint);
        Assert.True(StunIntegrity.VerifyIntegrity(bytes, back.MessageIntegrityOffset!.Value, Key));
    }

    [Fact]
    public void ChromiumShapedCheck_SkipsGoogNetworkInfo_AndStillVerifies()
    {
        byte[] bytes = ChromiumStyleCheck(Key);

        StunMessage message = StunReader.Read(bytes);

        Assert.Equal(100, bytes.Length);
        Assert.Equal(1, message.IgnoredAttributeCount);
        Assert.Empty(message.UnknownComprehensionRequired);
        Assert.True(message.UseCandidate);
        Assert.True(StunIntegrity.VerifyIntegrity(bytes, message.MessageIntegrityOffset!.Value, Key));
    }

    [Fact]
    public void RoleConflictError_RoundTrips_WithUnknownAttributesList()
    {
        var error = new StunMessage
        {
            Method = StunMethod.Binding,
            Class = StunClass.ErrorResponse,
            TransactionId = TransactionId.Create(new Random(2)),
            ErrorCode = StunErrorCode.RoleConflict,
            UnknownAttributes = [0x0031, 0x7777, 0x0042],
        };

        StunMessage back = StunReader.Read(StunWriter.Encode(error, Key, addFingerprint: true));

        Assert.Equal(StunClass.ErrorResponse, back.Class);
        Assert.Equal(487, back.ErrorCode!.Code);
        Assert.Equal("Role Conflict", back.ErrorCode.Reason);
        Assert.Equal(new ushort[] { 0x0031, 0x7777, 0x0042 }, back.UnknownAttributes);
    }

    [Theory]
    [InlineData("10.1.2.3", 1)]
    [InlineData("255.255.255.255", 65535)]
    [InlineData("fe80::1:2:3:4", 5000)]
    [InlineData("::", 9)]
    public void XorMappedAddress_RoundTrips(string address, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
        var response = new StunMessage
        {
            Method = StunMethod.Binding,
            Class = StunClass.SuccessResponse,
            TransactionId = TransactionId.Create(new Random(port)),
            XorMappedAddress = endPoint,
        };

        StunMessage back = StunReader.Read(StunWriter.Encode(response, [], addFingerprint: false));

        Assert.Equal(endPoint, back.XorMappedAddress);
        Assert.Equal(endPoint, back.ReflexiveAddress);
        Assert.False(back.HasFingerprint);
        Assert.Null(back.MessageIntegrityOffset);
    }

    [Fact]
    public void UnknownComprehensionRequiredAttribute_IsReported_NotFatal()
    {
        byte[] bytes = Build(StunClass.Request, [(0x7FFF, [1, 2, 3, 4]), (0xC001, [9])]);

        StunMessage message = StunReader.Read(bytes);

        Assert.Equal(new ushort[] { 0x7FFF }, message.UnknownComprehensionRequired);
        Assert.Equal(1, message.IgnoredAttributeCount);
    }

    [Fact]
    public void AttributesAfterMessageIntegrity_AreIgnored_ButFingerprintCounts()
    {
        var builder = new List<(ushort, byte[])> { (0x0006, "a:b"u8.ToArray()) };
        byte[] bytes = Build(StunClass.Request, builder);
        byte[] withMi = AppendIntegrity(bytes, Key);
        byte[] withExtra = AppendRaw(withMi, 0x0024, [0, 0, 0, 7]);
        byte[] final = AppendFingerprint(withExtra);

        StunMessage message = StunReader.Read(final);

        Assert.Null(message.Priority);
        Assert.Equal(1, message.IgnoredAttributeCount);
        Assert.True(message.HasFingerprint);
        Assert.True(StunIntegrity.VerifyIntegrity(final, message.MessageIntegrityOffset!.Value, Key));
    }

    [Fact]
    public void RepeatedAttribute_FirstOneWins()
    {
        byte[] bytes = Build(StunClass.Request, [(0x0024, [0, 0, 0, 1]), (0x0024, [0, 0, 0, 2])]);

        StunMessage message = StunReader.Read(bytes);

        Assert.Equal(1u, message.Priority);
        Assert.Equal(1, message.IgnoredAttributeCount);
    }

    public static TheoryData<string, string, int> BadMessages => new()
    {
        { "shorter than a header", "0001000021", (int)WebRtcFormatProblem.Truncated },
        { "top bits set", "c0010000" + "2112a442" + Tid, (int)WebRtcFormatProblem.Unsupported },
        { "wrong cookie", "00010000" + "2112a443" + Tid, (int)WebRtcFormatProblem.Unsupported },
        { "length not multiple of 4", "00010002" + "2112a442" + Tid + "0000", (int)WebRtcFormatProblem.LengthMismatch },
        { "length beyond datagram", "00010008" + "2112a442" + Tid + "00000000", (int)WebRtcFormatProblem.LengthMismatch },
        { "non-binding method", "00020000" + "2112a442" + Tid, (int)WebRtcFormatProblem.Unsupported },
        { "attribute overruns", "00010008" + "2112a442" + Tid + "00240008" + "00000000", (int)WebRtcFormatProblem.Truncated },
        { "priority 3 bytes", "00010008" + "2112a442" + Tid + "00240003" + "00000000", (int)WebRtcFormatProblem.LengthMismatch },
        { "use-candidate with value", "00010008" + "2112a442" + Tid + "00250004" + "00000000", (int)WebRtcFormatProblem.LengthMismatch },
        { "controlling 4 bytes", "00010008" + "2112a442" + Tid + "802a0004" + "00000000", (int)WebRtcFormatProblem.LengthMismatch },
        { "xor family 3", "0101000c" + "2112a442" + Tid + "00200008" + "0003a147e112a643", (int)WebRtcFormatProblem.InvalidValue },
        { "xor v6 family in 8 bytes", "0101000c" + "2112a442" + Tid + "00200008" + "0002a147e112a643", (int)WebRtcFormatProblem.LengthMismatch },
        { "xor 12 bytes", "01010010" + "2112a442" + Tid + "0020000c" + "0001a147e112a643e112a643", (int)WebRtcFormatProblem.LengthMismatch },
        { "error class 2", "01110008" + "2112a442" + Tid + "00090004" + "00000257", (int)WebRtcFormatProblem.InvalidValue },
        { "error number 100", "01110008" + "2112a442" + Tid + "00090004" + "00000464", (int)WebRtcFormatProblem.InvalidValue },
        { "error 3 bytes", "01110008" + "2112a442" + Tid + "00090003" + "00000400", (int)WebRtcFormatProblem.Truncated },
        { "username invalid utf-8", "00010008" + "2112a442" + Tid + "00060002" + "c3280000", (int)WebRtcFormatProblem.InvalidValue },
        { "unknown-attributes odd", "01110008" + "2112a442" + Tid + "000a0003" + "00010000", (int)WebRtcFormatProblem.LengthMismatch },
        { "integrity 19 bytes", "00010018" + "2112a442" + Tid + "00080013" + "0000000000000000000000000000000000000000", (int)WebRtcFormatProblem.LengthMismatch },
        { "fingerprint wrong", "00010008" + "2112a442" + Tid + "80280004" + "00000000", (int)WebRtcFormatProblem.BadChecksum },
    };

    private const string Tid = "b7e7a701bc34d686fa87dfae";

    [Theory]
    [MemberData(nameof(BadMessages))]
    public void BadMessage_ThrowsOurFormatException(string why, string hex, int problem)
    {
        var ex = Assert.Throws<WebRtcFormatException>(() => StunReader.Read(Convert.FromHexString(hex)));

        Assert.True(ex.Problem == (WebRtcFormatProblem)problem, $"{why}: expected {(WebRtcFormatProblem)problem}, got {ex.Problem} ({ex.Message})");
        Assert.Equal(WebRtcLayer.Stun, ex.Layer);
    }

    [Fact]
    public void AttributeAfterFingerprint_IsRefused()
    {
        byte[] withFingerprint = AppendFingerprint(Build(StunClass.Request, []));
        byte[] bytes = AppendRaw(withFingerprint, 0x8022, "x"u8.ToArray());

        var ex = Assert.Throws<WebRtcFormatException>(() => StunReader.Read(bytes));

        Assert.Equal(WebRtcFormatProblem.Malformed, ex.Problem);
    }

    [Fact]
    public void TooManyAttributes_AreRefused()
    {
        var many = Enumerable.Range(0, 65).Select(_ => ((ushort)0x8001, Array.Empty<byte>())).ToList();

        var ex = Assert.Throws<WebRtcFormatException>(() => StunReader.Read(Build(StunClass.Request, many)));

        Assert.Equal(WebRtcFormatProblem.TooLarge, ex.Problem);
    }

    [Fact]
    public void Integrity_FailsOnAnyFlippedBitBeforeTheMac()
    {
        byte[] bytes = StunWriter.Encode(
            new StunMessage { Method = StunMethod.Binding, Class = StunClass.Request, TransactionId = TransactionId.Create(new Random(3)), Username = "abcd:efgh", Priority = 5 },
            Key,
            addFingerprint: false);
        int integrityAt = StunReader.Read(bytes).MessageIntegrityOffset!.Value;

        for (int i = 0; i < integrityAt; i++)
        {
            if (i is 2 or 3)
            {
                continue; // the length field is replaced by the fix-up, by design
            }

            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x10;
            Assert.False(StunIntegrity.VerifyIntegrity(copy, integrityAt, Key), $"flip at {i} went unnoticed");
        }
    }

    internal static byte[] ChromiumStyleCheck(byte[] key)
    {
        byte[] bytes = Build(StunClass.Request, [
            (0x0006, "abcd:wxyz"u8.ToArray()),
            (0xC057, [0x00, 0x01, 0x03, 0xE7]),
            (0x802A, [1, 2, 3, 4, 5, 6, 7, 8]),
            (0x0025, []),
            (0x0024, [0x6E, 0x00, 0x1E, 0xFF]),
        ]);
        return AppendFingerprint(AppendIntegrity(bytes, key));
    }

    private static ushort[] AttributeTypes(byte[] bytes)
    {
        var types = new List<ushort>();
        for (int offset = 20; offset < bytes.Length;)
        {
            types.Add(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset)));
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset + 2));
            offset += 4 + ((length + 3) & ~3);
        }

        return [.. types];
    }

    /// <summary>Hand-assembles a Binding message so tests can carry attributes our writer never emits.</summary>
    internal static byte[] Build(StunClass stunClass, IEnumerable<(ushort Type, byte[] Value)> attributes)
    {
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(StunHeader.EncodeType(StunMethod.Binding, stunClass))));
        bytes.AddRange([0, 0, 0x21, 0x12, 0xA4, 0x42]);
        bytes.AddRange(Convert.FromHexString(Tid));
        byte[] result = [.. bytes];
        foreach ((ushort type, byte[] value) in attributes)
        {
            result = AppendRaw(result, type, value);
        }

        return result;
    }

    internal static byte[] AppendRaw(byte[] message, ushort type, byte[] value)
    {
        int padded = (value.Length + 3) & ~3;
        byte[] result = new byte[message.Length + 4 + padded];
        message.CopyTo(result, 0);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(message.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(message.Length + 2), (ushort)value.Length);
        value.CopyTo(result, message.Length + 4);
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)(result.Length - 20));
        return result;
    }

    internal static byte[] AppendIntegrity(byte[] message, byte[] key)
    {
        byte[] mac = new byte[20];
        StunIntegrity.ComputeIntegrity(message, message.Length, key, mac);
        return AppendRaw(message, 0x0008, mac);
    }

    internal static byte[] AppendFingerprint(byte[] message)
    {
        byte[] value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, StunIntegrity.ComputeFingerprint(message, message.Length));
        return AppendRaw(message, 0x8028, value);
    }

    [Fact]
    public void Username_IsUtf8()
    {
        byte[] bytes = Build(StunClass.Request, [(0x0006, Encoding.UTF8.GetBytes("é:ü"))]);

        Assert.Equal("é:ü", StunReader.Read(bytes).Username);
    }
}
