using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

/// <summary>
/// Chromium sends its 1413-byte ClientHello as two records in two datagrams (notes §0.1). No
/// capture of it is in the repo yet, so this test cuts our own client's hello the same way:
/// one handshake message, two fragments (frag_off 0 and half), each in its own record and datagram.
/// </summary>
public sealed class DtlsFragmentedHelloTests
{
    [Fact]
    public async Task A_client_hello_split_over_two_datagrams_is_reassembled_and_answered_with_dtls_1_2()
    {
        await using var pair = new DtlsTestPair();
        var helloSeen = 0;

        // Replace the client's first hello by two fragments, and drop its unfragmented retransmits,
        // so the handshake can only succeed through reassembly.
        pair.Link.B.DropWhen = datagram =>
        {
            if (!IsClientHello(datagram))
            {
                return false;
            }

            if (Interlocked.Increment(ref helloSeen) == 1)
            {
                foreach (var piece in SplitInTwo(datagram))
                {
                    pair.Link.A.Inject(piece);
                }
            }

            return true;
        };
        var sentByServer = new ConcurrentQueue<byte[]>();
        pair.Link.A.OnSend = sentByServer.Enqueue;

        await pair.ConnectAsync(aIsServer: true);

        var serverHello = sentByServer.First();
        Assert.Equal(22, serverHello[0]); // handshake record
        Assert.Equal([0xfe, 0xfd], serverHello[1..3]); // record version DTLS 1.2
        Assert.Equal(2, serverHello[13]); // server_hello
        Assert.Equal([0xfe, 0xfd], serverHello[25..27]); // server_version in the body
    }

    private static bool IsClientHello(byte[] datagram) =>
        datagram.Length > 25 && datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 0 && datagram[13] == 1;

    // Record header (13) then handshake header (12): type, length (3), message_seq (2),
    // fragment_offset (3), fragment_length (3). Both fragments keep type, length and message_seq.
    private static byte[][] SplitInTwo(byte[] datagram)
    {
        var body = datagram.AsSpan(25, ReadUInt24(datagram, 22)).ToArray();
        var half = body.Length / 2;

        // Record sequence numbers must be unused ones that the replay window still accepts: the
        // original one, and one the client will not reach during the handshake.
        return
        [
            Fragment(datagram, recordSequence: ReadUInt48(datagram, 5), body, 0, half),
            Fragment(datagram, recordSequence: 50, body, half, body.Length - half),
        ];
    }

    private static byte[] Fragment(byte[] original, long recordSequence, byte[] body, int offset, int length)
    {
        var record = new byte[25 + length];
        original.AsSpan(0, 13).CopyTo(record);
        WriteUInt48(record, 5, recordSequence);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)(12 + length));
        original.AsSpan(13, 6).CopyTo(record.AsSpan(13)); // type, total length, message_seq
        WriteUInt24(record, 19, offset);
        WriteUInt24(record, 22, length);
        body.AsSpan(offset, length).CopyTo(record.AsSpan(25));
        return record;
    }

    private static int ReadUInt24(byte[] bytes, int at) => (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2];

    private static long ReadUInt48(byte[] bytes, int at)
    {
        long value = 0;
        for (var i = 0; i < 6; i++)
        {
            value = (value << 8) | bytes[at + i];
        }

        return value;
    }

    private static void WriteUInt24(byte[] bytes, int at, int value)
    {
        bytes[at] = (byte)(value >> 16);
        bytes[at + 1] = (byte)(value >> 8);
        bytes[at + 2] = (byte)value;
    }

    private static void WriteUInt48(byte[] bytes, int at, long value)
    {
        for (var i = 5; i >= 0; i--)
        {
            bytes[at + i] = (byte)value;
            value >>= 8;
        }
    }
}
