using System.Buffers.Binary;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sctp;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

public sealed class SctpCodecTests
{
    // Captured from Chromium 156 (docs/dev/webrtc-notes.md §3.1): its first INIT.
    private const string ChromiumInit = "1388138800000000a663b8370100001eabcb57a500500000ffffffff218fd969c00000048008000682c00000";

    [Fact]
    public void Crc32c_MatchesTheCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32c.Compute("123456789"u8));
    }

    [Fact]
    public void Crc32c_PiecewiseEqualsWhole()
    {
        var data = Enumerable.Range(0, 77).Select(i => (byte)(i * 7)).ToArray();
        var piecewise = ~Crc32c.Update(Crc32c.Update(~0u, data.AsSpan(0, 13)), data.AsSpan(13));
        Assert.Equal(Crc32c.Compute(data), piecewise);
    }

    [Fact]
    public void ChromiumInit_DecodesAndReencodesByteForByte()
    {
        var bytes = Convert.FromHexString(ChromiumInit);
        var packet = SctpPacket.Read(bytes);

        Assert.Equal(5000, packet.SourcePort);
        Assert.Equal(5000, packet.DestinationPort);
        Assert.Equal(0u, packet.VerificationTag);
        var init = Assert.IsType<InitChunk>(Assert.Single(packet.Chunks));
        Assert.False(init.IsAck);
        Assert.Equal(0xABCB57A5u, init.InitiateTag);
        Assert.Equal(5_242_880u, init.AdvertisedReceiveWindow);
        Assert.Equal(65535, init.OutboundStreams);
        Assert.Equal(65535, init.InboundStreams);
        Assert.Equal(0x218FD969u, init.InitialTsn);
        Assert.True(init.Parameters.ForwardTsnSupported);
        Assert.Equal(new byte[] { 0x82, 0xC0 }, init.Parameters.SupportedExtensions);
        Assert.True(init.Parameters.SupportsReConfig);
        Assert.Null(init.Parameters.StateCookie);

        // Our writer puts Forward-TSN-Supported before Supported Extensions, as Chromium does.
        Assert.Equal(ChromiumInit, Convert.ToHexStringLower(packet.ToBytes()));
    }

    [Fact]
    public void ChromiumInit_WithOneBitFlipped_IsRefusedAsBadChecksum()
    {
        var bytes = Convert.FromHexString(ChromiumInit);
        bytes[20] ^= 0x01;
        var error = Assert.Throws<WebRtcFormatException>(() => SctpPacket.Read(bytes));
        Assert.Equal(WebRtcFormatProblem.BadChecksum, error.Problem);
        Assert.Equal(WebRtcLayer.Sctp, error.Layer);
    }

    [Fact]
    public void ChromiumStreamResetRequest_Decodes()
    {
        // RE-CONFIG chunk around Chromium's Outgoing SSN Reset Request for stream 1 (notes §3.7), 2 bytes of padding.
        var value = Convert.FromHexString("000d001274b647d874b647d874b647df0001");
        var chunk = Assert.IsType<ReConfigChunk>(SctpPacket.ReadChunk(130, 0, value));
        var request = Assert.IsType<OutgoingResetRequest>(Assert.Single(chunk.Parameters));
        Assert.Equal(0x74B647D8u, request.RequestSequence);
        Assert.Equal(0x74B647D8u, request.ResponseSequence);
        Assert.Equal(0x74B647DFu, request.SenderLastTsn);
        Assert.Equal(new ushort[] { 1 }, request.StreamIds);
        Assert.Equal("820000160" + "00d001274b647d874b647d874b647df00010000", Hex(chunk));
    }

    [Fact]
    public void ChromiumStreamResetResponse_Decodes()
    {
        var value = Convert.FromHexString("0010000cffc7b94800000001");
        var chunk = Assert.IsType<ReConfigChunk>(SctpPacket.ReadChunk(130, 0, value));
        var response = Assert.IsType<ReConfigResponse>(Assert.Single(chunk.Parameters));
        Assert.Equal(0xFFC7B948u, response.ResponseSequence);
        Assert.Equal(ReConfigResult.SuccessPerformed, response.Result);
        Assert.Equal("82000010" + "0010000cffc7b94800000001", Hex(chunk));
    }

    public static TheoryData<string, string> Goldens => new()
    {
        // DATA, flags B|E, TSN 1, SID 2, SSN 3, PPID 51, "abc" + 1 pad byte (RFC 9260 §3.3.1 layout).
        { "data", "00030013" + "00000001" + "0002" + "0003" + "00000033" + "61626300" },
        // SACK: cum 0x10, a_rwnd 0x10000, 2 gap blocks (2..3, 5..5), 1 dup 0x0F.
        { "sack", "0300001c" + "00000010" + "00010000" + "0002" + "0001" + "00020003" + "00050005" + "0000000f" },
        // HEARTBEAT with 8 bytes of info, and its ACK.
        { "heartbeat", "04000010" + "0001000c" + "0102030405060708" },
        { "heartbeat-ack", "05000010" + "0001000c" + "0102030405060708" },
        // ABORT with T, cause 12 user abort with 3 info bytes (length 7 + 1 pad).
        { "abort", "0601000b" + "000c0007" + "78797a00" },
        // ERROR with cause 6 unrecognized chunk.
        { "error", "0900000c" + "00060008" + "40000004" },
        { "shutdown", "07000008" + "12345678" },
        { "shutdown-ack", "08000004" },
        { "shutdown-complete-t", "0e010004" },
        { "cookie-echo", "0a000007" + "c0ffee00" },
        { "cookie-ack", "0b000004" },
        // FORWARD TSN to 0x20 skipping SSN 5 on stream 1.
        { "forward-tsn", "c000000c" + "00000020" + "00010005" },
        // INIT ACK with a 5-byte cookie and Forward-TSN-Supported.
        { "init-ack", "0200002a" + "01020304" + "00400000" + "ffff" + "ffff" + "00000064" + "00070009" + "6162636465000000" + "c0000004" + "80080006" + "82c00000" },
        // RE-CONFIG: response (seq 7, performed) plus our own outgoing request for streams 1 and 3.
        { "reconfig-pair", "82000024" + "0010000c" + "0000000700000001" + "000d0014" + "00000009" + "00000006" + "00000064" + "00010003" },
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void GoldenChunks_RoundTrip(string name, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2));
        var chunk = SctpPacket.ReadChunk(bytes[0], bytes[1], bytes.AsSpan(4, length - 4));
        Assert.IsNotType<UnknownChunk>(chunk);
        Assert.True(hex == Hex(chunk), $"{name}: wrote {Hex(chunk)}");
    }

    [Fact]
    public void Sack_FieldsAreRead()
    {
        var sack = Assert.IsType<SackChunk>(SctpPacket.ReadChunk(3, 0, Convert.FromHexString("00000010" + "00010000" + "0002" + "0001" + "00020003" + "00050005" + "0000000f")));
        Assert.Equal(0x10u, sack.CumulativeTsnAck);
        Assert.Equal(0x10000u, sack.AdvertisedReceiveWindow);
        Assert.Equal(new[] { new GapAckBlock(2, 3), new GapAckBlock(5, 5) }, sack.GapBlocks);
        Assert.Equal(new uint[] { 0x0F }, sack.DuplicateTsns);
    }

    [Fact]
    public void Data_FlagsAreRead()
    {
        var data = Assert.IsType<DataChunk>(SctpPacket.ReadChunk(0, 0x0D, Convert.FromHexString("00000001000200030000003361")));
        Assert.True(data.IsImmediate);
        Assert.True(data.IsUnordered);
        Assert.False(data.IsBegin);
        Assert.True(data.IsEnd);
        Assert.Equal("a"u8.ToArray(), data.Payload.ToArray());
    }

    [Theory]
    [InlineData(0, "000000010002000300000033", (int)WebRtcFormatProblem.InvalidValue)] // DATA without user data
    [InlineData(0, "0000000100020003", (int)WebRtcFormatProblem.Truncated)]
    [InlineData(1, "00000000000100000001000100000001", (int)WebRtcFormatProblem.InvalidValue)] // INIT tag 0
    [InlineData(1, "00000001000100000000000100000001", (int)WebRtcFormatProblem.InvalidValue)] // INIT OS 0
    [InlineData(2, "00000001000100000001000100000001", (int)WebRtcFormatProblem.Missing)] // INIT ACK without cookie
    [InlineData(1, "000000010001000000010001000000010007000200", (int)WebRtcFormatProblem.LengthMismatch)] // parameter length < 4
    [InlineData(1, "00000001000100000001000100000001000700ff", (int)WebRtcFormatProblem.Truncated)] // parameter longer than the chunk
    [InlineData(3, "000000100001000000010000", (int)WebRtcFormatProblem.LengthMismatch)] // SACK announces a gap it lacks
    [InlineData(3, "00000010000100000001000000000003", (int)WebRtcFormatProblem.InvalidValue)] // gap start 0
    [InlineData(3, "00000010000100000001000000050003", (int)WebRtcFormatProblem.InvalidValue)] // gap end < start
    [InlineData(4, "00020008000000000", (int)WebRtcFormatProblem.Missing)] // HEARTBEAT without info
    [InlineData(4, "00010020000000000", (int)WebRtcFormatProblem.LengthMismatch)]
    [InlineData(7, "000000", (int)WebRtcFormatProblem.LengthMismatch)]
    [InlineData(8, "00", (int)WebRtcFormatProblem.LengthMismatch)]
    [InlineData(10, "", (int)WebRtcFormatProblem.Missing)]
    [InlineData(192, "0000002000", (int)WebRtcFormatProblem.LengthMismatch)]
    [InlineData(130, "", (int)WebRtcFormatProblem.Missing)]
    [InlineData(130, "00630008000000000", (int)WebRtcFormatProblem.Unsupported)]
    [InlineData(130, "0010000b00000001000000", (int)WebRtcFormatProblem.LengthMismatch)]
    [InlineData(130, "000d00110000000100000001000000010001", (int)WebRtcFormatProblem.LengthMismatch)] // odd stream list
    [InlineData(130, "0010000c00000001000000010010000c00000001000000010010000c0000000100000001", (int)WebRtcFormatProblem.TooLarge)]
    [InlineData(6, "000c0002", (int)WebRtcFormatProblem.LengthMismatch)]
    public void BadChunks_AreRefusedWithTheirProblem(byte type, string hex, int problem)
    {
        if (hex.Length % 2 == 1)
        {
            hex = hex[..^1];
        }

        var error = Assert.Throws<WebRtcFormatException>(() => SctpPacket.ReadChunk(type, 0, Convert.FromHexString(hex)));
        Assert.Equal((WebRtcFormatProblem)problem, error.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("13881388000000000000000000")]
    public void ShortPackets_AreTruncated(string hex)
    {
        var error = Assert.Throws<WebRtcFormatException>(() => SctpPacket.Read(Convert.FromHexString(hex)));
        Assert.Equal(WebRtcFormatProblem.Truncated, error.Problem);
    }

    [Fact]
    public void ChunkLengthBelowFour_IsRefused()
    {
        var bytes = Resum(Convert.FromHexString("138813880000000000000000" + "0b000002"));
        var error = Assert.Throws<WebRtcFormatException>(() => SctpPacket.Read(bytes));
        Assert.Equal(WebRtcFormatProblem.LengthMismatch, error.Problem);
    }

    [Fact]
    public void UnknownChunkTypes_AreKeptWithTheirAction()
    {
        var bytes = Resum(Convert.FromHexString("138813880000000100000000" + "40000005aa000000" + "bf000004" + "0b000004"));
        var packet = SctpPacket.Read(bytes);
        var first = Assert.IsType<UnknownChunk>(packet.Chunks[0]);
        Assert.True(first.StopsPacket);
        Assert.True(first.Report);
        Assert.Equal(new byte[] { 0xAA }, first.Value);
        var second = Assert.IsType<UnknownChunk>(packet.Chunks[1]);
        Assert.False(second.StopsPacket);
        Assert.False(second.Report);
        Assert.IsType<SimpleChunk>(packet.Chunks[2]);
    }

    [Fact]
    public void UnknownInitParameters_FollowTheirTopBits()
    {
        // 0x4001 (stop + report) ends parsing, so the Forward-TSN parameter after it is not seen.
        var stop = InitParameters.Read(Convert.FromHexString("40010005ee000000" + "c0000004"));
        Assert.False(stop.ForwardTsnSupported);
        Assert.Single(stop.UnrecognizedToReport);
        // 0xC001 (skip + report) goes on.
        var skip = InitParameters.Read(Convert.FromHexString("c0010005ee000000" + "c0000004"));
        Assert.True(skip.ForwardTsnSupported);
        Assert.Equal(Convert.FromHexString("c0010005ee"), Assert.Single(skip.UnrecognizedToReport));
        // 0x8001 zero-checksum is known and ignored; 0x8009 (skip, no report) is skipped in silence.
        var silent = InitParameters.Read(Convert.FromHexString("8001000800000000" + "80090004" + "c0000004"));
        Assert.True(silent.ForwardTsnSupported);
        Assert.Empty(silent.UnrecognizedToReport);
    }

    [Fact]
    public void SerialNumbers_CompareAcrossTheWrap()
    {
        Assert.True(SerialNumber.Lt(0xFFFFFFF0u, 5u));
        Assert.True(SerialNumber.Gt(5u, 0xFFFFFFF0u));
        Assert.False(SerialNumber.Lt(5u, 5u));
        Assert.True(SerialNumber.Le(5u, 5u));
        Assert.True(SerialNumber.Lt((ushort)65535, (ushort)0));
        Assert.True(SerialNumber.Le((ushort)3, (ushort)3));
        Assert.Equal(3u, SerialNumber.Max(0xFFFFFFFFu, 3u));
    }

    [Fact]
    public void SeededMutations_OnlyEverThrowOurFormatException()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var corpus = Goldens.Select(row => (string)row[1]).Select(h => Convert.FromHexString("138813880000000100000000" + h))
            .Append(Convert.FromHexString(ChromiumInit)).Select(Resum).ToArray();
        var parsed = 0;
        var refused = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var original = corpus[random.Next(corpus.Length)];
            var mutated = Mutate(original, random);
            // Most rounds get a valid checksum so the mutation reaches the chunk parsers.
            if (random.Next(8) != 0 && mutated.Length >= 12)
            {
                mutated = Resum(mutated);
            }

            try
            {
                var packet = SctpPacket.Read(mutated);
                _ = packet.ToBytes();
                parsed++;
            }
            catch (WebRtcFormatException)
            {
                refused++;
            }
            catch (Exception other)
            {
                Assert.Fail($"seed {seed} round {round}: {Convert.ToHexString(mutated)} threw {other}");
            }
        }

        Assert.True(parsed > 100 && refused > 100, $"seed {seed}: parsed {parsed}, refused {refused}");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits; i++)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 12:
                    bytes[random.Next(12, bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 12:
                    var from = random.Next(12, bytes.Count);
                    bytes.RemoveRange(from, random.Next(1, bytes.Count - from + 1));
                    break;
                case 2:
                    bytes.Insert(random.Next(12, bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    if (bytes.Count > 16)
                    {
                        // Hit a length field on purpose: they are where parsers go wrong.
                        var at = 14 + (random.Next(2) * 4 * random.Next((bytes.Count - 14) / 4));
                        bytes[Math.Min(at, bytes.Count - 1)] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return bytes.ToArray();
    }

    private static byte[] Resum(byte[] packet)
    {
        var copy = (byte[])packet.Clone();
        copy.AsSpan(8, 4).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(8), Crc32c.Compute(copy));
        return copy;
    }

    private static string Hex(SctpChunk chunk)
    {
        var bytes = new byte[chunk.PaddedLength];
        chunk.Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
