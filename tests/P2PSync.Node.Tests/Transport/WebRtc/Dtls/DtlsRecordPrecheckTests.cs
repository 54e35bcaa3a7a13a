using System.Buffers.Binary;
using System.Security.Cryptography;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.WebRtc.Dtls;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsRecordPrecheckTests(ITestOutputHelper output)
{
    private static readonly byte[] ClientKey = DtlsTestRecords.Key;
    private static readonly byte[] ClientSalt = DtlsTestRecords.Salt;

    [Fact]
    public void A_genuine_record_passes_and_its_plaintext_is_handed_out_once()
    {
        using var precheck = Armed();
        var record = Record(23, 1, 7, "hello"u8);

        var forwarded = Filter(precheck, record);

        Assert.Equal(record, forwarded);
        Assert.True(precheck.TryTakePlaintext((1L << 48) | 7, out var plaintext));
        Assert.Equal("hello"u8.ToArray(), plaintext);
        Assert.False(precheck.TryTakePlaintext((1L << 48) | 7, out _));
    }

    [Fact]
    public void A_record_sealed_with_the_aes_gcm_layout_matches_an_independent_computation()
    {
        // Golden check of the record layout against AesGcm called directly with the RFC 5288 nonce
        // and RFC 5246 additional data, written out byte by byte here.
        var record = Record(23, 1, 0x0102030405, "abc"u8);
        var nonce = Convert.FromHexString("a0a1a2a3" + "0001000102030405");
        var additionalData = Convert.FromHexString("0001000102030405" + "17" + "fefd" + "0003");
        var ciphertext = new byte[3];
        var tag = new byte[16];
        using (var gcm = new AesGcm(ClientKey, 16))
        {
            gcm.Encrypt(nonce, "abc"u8, ciphertext, tag, additionalData);
        }

        var expected = Convert.FromHexString("17fefd0001000102030405" + "001b" + "0001000102030405")
            .Concat(ciphertext).Concat(tag).ToArray();
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(record));
    }

    [Fact]
    public void A_forged_tag_drops_only_that_record_of_a_datagram()
    {
        using var precheck = Armed();
        var forged = Record(23, 1, 1, "forged"u8);
        forged[^3] ^= 0x40;
        var genuine = Record(23, 1, 2, "genuine"u8);

        var forwarded = Filter(precheck, [.. forged, .. genuine]);

        Assert.Equal(genuine, forwarded);
        Assert.Equal(1, precheck.ForgedRecords);
        Assert.False(precheck.TryTakePlaintext((1L << 48) | 1, out _));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("content type 25")]
    [InlineData("content type 19")]
    [InlineData("version 1.1 (feef)")]
    [InlineData("shorter than a header")]
    [InlineData("empty")]
    public void A_malformed_datagram_is_dropped_whole(string defect)
    {
        using var precheck = Armed();
        var genuine = Record(23, 1, 3, "x"u8);
        var bad = Record(22, 0, 0, "hello"u8, encrypt: false);
        bad = defect switch
        {
            "truncated" => bad[..^1],
            "content type 25" => Set(bad, 0, 25),
            "content type 19" => Set(bad, 0, 19),
            "version 1.1 (feef)" => Set(bad, 2, 0xef),
            "shorter than a header" => bad[..12],
            _ => [],
        };

        // The genuine record shares the datagram: one bad length makes every boundary suspect.
        byte[] datagram = defect == "empty" ? [] : [.. genuine, .. bad];
        Assert.Empty(Filter(precheck, datagram));
        Assert.Equal(1, precheck.MalformedDatagrams);
    }

    [Fact]
    public void Epoch_zero_passes_untouched_and_epochs_above_one_are_dropped()
    {
        using var precheck = Armed();
        var hello = Record(22, 0, 0, "client hello"u8, encrypt: false);
        var epochTwo = Record(23, 2, 0, "later"u8);

        Assert.Equal(hello, Filter(precheck, hello));
        Assert.Empty(Filter(precheck, epochTwo));
        Assert.Equal(1, precheck.UnexpectedEpochRecords);
    }

    [Fact]
    public void A_change_cipher_spec_that_overtakes_the_last_plaintext_message_is_handed_over_just_before_the_finished()
    {
        using var precheck = Armed();
        var changeCipherSpec = Record(20, 0, 4, [1], encrypt: false);
        var certificateVerify = Record(22, 0, 3, HandshakeMessage(15, 0, 4), encrypt: false);
        var finished = Record(22, 1, 0, HandshakeMessage(20, 1, 12));

        // The link delivered CCS first; BC must still see the verify before the epoch switch.
        Assert.Empty(Filter(precheck, changeCipherSpec));
        Assert.Equal(certificateVerify, Filter(precheck, certificateVerify));
        Assert.Equal([.. changeCipherSpec, .. finished], Filter(precheck, finished));

        // Handed over once: the next encrypted record comes alone.
        var data = Record(23, 1, 1, "data"u8);
        Assert.Equal(data, Filter(precheck, data));
    }

    [Fact]
    public void A_finished_whose_flight_lost_a_message_is_dropped_until_the_retransmitted_flight_completes()
    {
        using var precheck = Armed();
        var changeCipherSpec = Record(20, 0, 4, [1], encrypt: false);
        var certificate = Record(22, 0, 1, HandshakeMessage(11, 0, 30), encrypt: false);
        var finished = Record(22, 1, 0, HandshakeMessage(20, 2, 12));

        // Message 1 (CertificateVerify, say) was lost: the epoch switch must wait.
        Filter(precheck, certificate);
        Assert.Empty(Filter(precheck, [.. changeCipherSpec, .. finished]));
        Assert.Equal(1, precheck.HeldBackRecords);

        // The retransmitted flight brings message 1 in two fragments, then CCS and a new Finished.
        var verifyFirstHalf = Record(22, 0, 5, HandshakeMessage(15, 1, 8, fragmentOffset: 0, fragmentLength: 4), encrypt: false);
        var verifySecondHalf = Record(22, 0, 6, HandshakeMessage(15, 1, 8, fragmentOffset: 4, fragmentLength: 4), encrypt: false);
        var retransmittedFinished = Record(22, 1, 1, HandshakeMessage(20, 2, 12));
        Filter(precheck, verifyFirstHalf);
        Assert.Empty(Filter(precheck, [.. changeCipherSpec, .. retransmittedFinished]));
        Filter(precheck, verifySecondHalf);
        var changeCipherSpecAgain = Record(20, 0, 7, [1], encrypt: false);
        var thirdFinished = Record(22, 1, 2, HandshakeMessage(20, 2, 12));
        Assert.Equal([.. changeCipherSpecAgain, .. thirdFinished], Filter(precheck, [.. changeCipherSpecAgain, .. thirdFinished]));
    }

    [Fact]
    public void Before_the_keys_are_known_an_encrypted_record_is_passed_on_for_the_cipher_to_judge()
    {
        using var precheck = new DtlsRecordPrecheck();
        var finished = Record(22, 1, 0, "finished"u8);
        finished[^1] ^= 1;

        Assert.Equal(finished, Filter(precheck, finished));
        Assert.False(precheck.IsArmed);
    }

    [Fact]
    public void A_thousand_seeded_mutations_never_throw_and_a_genuine_record_still_passes_after_them()
    {
        const int seed = 8;
        output.WriteLine($"mutation seed {seed}");
        var random = new Random(seed);
        using var precheck = Armed();
        var originals = new[]
        {
            Record(23, 1, 10, "application data"u8),
            [.. Record(22, 0, 1, "hello"u8, encrypt: false), .. Record(20, 0, 2, [1], encrypt: false)],
            Record(21, 1, 11, [1, 0]),
        };

        for (var i = 0; i < 1000; i++)
        {
            var mutated = ByteMutator.Mutate(originals[random.Next(originals.Length)], random);
            var forwarded = Filter(precheck, mutated);
            Assert.True(forwarded.Length <= mutated.Length);
        }

        // A mutation may have left a ChangeCipherSpec withheld; it would travel in front of the record.
        var genuine = Record(23, 1, 99, "still fine"u8);
        var forwardedGenuine = Filter(precheck, genuine);
        Assert.Equal(genuine, forwardedGenuine[^genuine.Length..]);
        Assert.True(precheck.TryTakePlaintext((1L << 48) | 99, out var plaintext));
        Assert.Equal("still fine"u8.ToArray(), plaintext);
    }

    // The server side's check: it reads what the client wrote.
    private static DtlsRecordPrecheck Armed()
    {
        var precheck = new DtlsRecordPrecheck();
        precheck.Arm(ClientKey, ClientSalt, 0xfe, 0xfd);
        return precheck;
    }

    private static byte[] Filter(DtlsRecordPrecheck precheck, byte[] datagram)
    {
        var destination = new byte[datagram.Length + DtlsRecordPrecheck.ExtraSpace];
        var written = precheck.Filter(datagram, destination);
        return destination[..written];
    }

    // One handshake fragment: type, length (24), message_seq, fragment_offset (24), fragment_length (24), body.
    private static byte[] HandshakeMessage(byte type, int messageSeq, int length, int fragmentOffset = 0, int? fragmentLength = null)
    {
        var pieceLength = fragmentLength ?? length;
        var message = new byte[12 + pieceLength];
        message[0] = type;
        message[3] = (byte)length;
        message[5] = (byte)messageSeq;
        message[8] = (byte)fragmentOffset;
        message[11] = (byte)pieceLength;
        for (var i = 0; i < pieceLength; i++)
        {
            message[12 + i] = (byte)(0x40 + i);
        }

        return message;
    }

    private static byte[] Set(byte[] bytes, int index, byte value)
    {
        var copy = bytes.ToArray();
        copy[index] = value;
        return copy;
    }

    private static byte[] Record(byte type, ushort epoch, long sequence, ReadOnlySpan<byte> payload, bool encrypt = true) =>
        DtlsTestRecords.Build(type, epoch, sequence, payload, encrypt);
}
