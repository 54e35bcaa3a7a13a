using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>
/// Hand-made hostile packets, one per attack named in the contract. Each must be refused with
/// <see cref="DnsFormatException"/> (the test fails on any other exception or on success).
/// </summary>
public sealed class DnsCodecHostileTests
{
    private const string OneQuestionHeader = "0000 0000 0001 0000 0000 0000";
    private const string OneAnswerHeader = "0000 8400 0000 0001 0000 0000";

    public static TheoryData<string, string> HostilePackets => new()
    {
        { "pointer to itself", $"{OneQuestionHeader} c00c 0001 0001" },
        { "pointer forward", $"{OneQuestionHeader} c00e 0001 0001 00" },
        { "pointer beyond the end", $"{OneQuestionHeader} ffff 0001 0001" },
        { "pointer cut off", $"{OneQuestionHeader} 01 61 01 62 c0" },
        // The label at 12 ends in a pointer to 16, which is the second question's own pointer
        // back to 12: a two-step loop. The first hop already goes forward and is refused.
        { "two-pointer loop", "0000 0000 0002 0000 0000 0000  01 61 c010 0001 0001  c00c 0001 0001" },
        // The second name's labels start at 19 and end in a pointer to 19: into its own segment.
        { "pointer into its own labels", "0000 0000 0002 0000 0000 0000  01 61 00 0001 0001  01 62 c013 0001 0001" },
        { "reserved label type 0x40", $"{OneQuestionHeader} 41 61 00 0001 0001" },
        { "reserved label type 0x80", $"{OneQuestionHeader} 81 61 00 0001 0001" },
        { "label runs past the end", $"{OneQuestionHeader} 3f 6161 0001 0001" },
        { "name without terminator", $"{OneQuestionHeader} 01 61 01 62 01 63" },
        { "label not UTF-8", $"{OneQuestionHeader} 02 c328 00 0001 0001" },
        { "name over 255 bytes", $"{OneQuestionHeader} {Labels(63, 63, 63, 62)} 00 0001 0001" },
        { "name over 255 bytes through a pointer", "0000 0000 0002 0000 0000 0000 " +
            $"{Labels(63, 63, 63)} 00 0001 0001  {Labels(63)} c00c 0001 0001" },
        { "absurd answer count", "0000 8400 0000 ffff 0000 0000" },
        { "absurd question count", $"0000 0000 ffff 0000 0000 0000 {new string('0', 200)}" },
        { "absurd counts in every section", $"0000 8400 0100 0100 0100 0100 {new string('0', 400)}" },
        { "header cut off", "0000 8400 0000" },
        { "question cut off", $"{OneQuestionHeader} 01 61 00 0001 00" },
        { "record header cut off", $"{OneAnswerHeader} 01 61 00 0001 0001 00000000 00" },
        { "rdlength beyond the end", $"{OneAnswerHeader} 01 61 00 0001 0001 00000078 0008 c0a80101" },
        { "A rdata of 5 bytes", $"{OneAnswerHeader} 01 61 00 0001 0001 00000078 0005 c0a8010101" },
        { "AAAA rdata of 4 bytes", $"{OneAnswerHeader} 01 61 00 001c 0001 00000078 0004 c0a80101" },
        { "PTR name shorter than rdlength", $"{OneAnswerHeader} 01 61 00 000c 0001 00000078 0004 01 62 00 ff" },
        { "PTR name longer than rdlength", $"{OneAnswerHeader} 01 61 00 000c 0001 00000078 0002 01 62 00" },
        { "PTR pointer forward", $"{OneAnswerHeader} 01 61 00 000c 0001 00000078 0002 c01b 00" },
        { "SRV rdata too short", $"{OneAnswerHeader} 01 61 00 0021 0001 00000078 0006 0000 0000 1f90" },
        { "SRV target past rdlength", $"{OneAnswerHeader} 01 61 00 0021 0001 00000078 0008 0000 0000 1f90 01 62 00" },
        { "TXT string past rdlength", $"{OneAnswerHeader} 01 61 00 0010 0001 00000078 0003 05 6161" },
        { "NSEC windows out of order", $"{OneAnswerHeader} 01 61 00 002f 0001 00000078 0008 c00c 01 01 80 00 01 40" },
        { "NSEC empty bitmap", $"{OneAnswerHeader} 01 61 00 002f 0001 00000078 0004 c00c 00 00" },
        { "NSEC bitmap over 32 bytes", $"{OneAnswerHeader} 01 61 00 002f 0001 00000078 0025 c00c 00 21 {new string('f', 66)}" },
        { "NSEC window header cut off", $"{OneAnswerHeader} 01 61 00 002f 0001 00000078 0003 c00c 00" },
    };

    [Theory]
    [MemberData(nameof(HostilePackets))]
    public void HostilePacketIsRefusedWithFormatException(string attack, string hex)
    {
        var bytes = Hex.Parse(hex);
        var error = Record.Exception(() => DnsCodec.Decode(bytes));
        Assert.True(error is DnsFormatException, $"{attack}: expected DnsFormatException, got {error?.GetType().Name ?? "a decoded message"}");
        Assert.False(string.IsNullOrWhiteSpace(error!.Message));
    }

    [Fact]
    public void EveryTruncationOfAValidResponseIsRefused()
    {
        var bytes = DnsCodec.Encode(new RandomDnsMessages(7).Message() with { Flags = DnsFlags.Response });
        for (var length = 0; length < bytes.Length; length++)
        {
            // Cutting off records changes nothing the counts do not catch: every prefix lacks bytes.
            var error = Record.Exception(() => DnsCodec.Decode(bytes.AsSpan(0, length)));
            Assert.True(error is DnsFormatException, $"prefix of {length}/{bytes.Length} bytes gave {error?.GetType().Name ?? "a message"}");
        }
    }

    [Fact]
    public void LongestLegalNameStillDecodes()
    {
        // 63+63+63+61 byte labels: 64*3 + 62 + 1 = 255 bytes exactly.
        var bytes = Hex.Parse($"{OneQuestionHeader} {Labels(63, 63, 63, 61)} 00 0001 0001");
        var name = DnsCodec.Decode(bytes).Questions[0].Name;
        Assert.Equal(255, name.WireLength);
    }

    [Fact]
    public void BackwardPointerChainsDecode()
    {
        // "local" at 12, "_tcp" + ptr(12) at 23 in question 2, "x" + ptr(23) in question 3.
        var bytes = Hex.Parse("""
            0000 0000 0003 0000 0000 0000
            05 6c6f63616c 00 000c 0001
            04 5f746370 c00c 000c 0001
            01 78 c017 000c 0001
            """);
        var names = DnsCodec.Decode(bytes).Questions.Select(q => q.Name.ToString()).ToArray();
        Assert.Equal(["local", "_tcp.local", "x._tcp.local"], names);
    }

    [Fact]
    public void TrailingBytesAfterTheLastRecordAreIgnored()
    {
        var bytes = Hex.Parse($"{OneQuestionHeader} 01 61 00 0001 0001 deadbeef");
        Assert.Equal("a", DnsCodec.Decode(bytes).Questions[0].Name.ToString());
    }

    private static string Labels(params int[] sizes) =>
        string.Join(' ', sizes.Select(size => $"{size:x2}{string.Concat(Enumerable.Repeat("61", size))}"));
}
