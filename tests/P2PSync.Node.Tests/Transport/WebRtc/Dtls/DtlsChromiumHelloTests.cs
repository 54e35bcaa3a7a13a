using System.Buffers.Binary;
using System.Collections.Concurrent;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Tests.Transport.WebRtc.Support;
using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

/// <summary>
/// The ClientHello Chromium 156 really sent (Resources/chromium-client-hello.txt says how it was
/// captured): 1413 bytes of body offering DTLS 1.3 and 1.2 with an X25519MLKEM768 key share, cut
/// into two records in two datagrams. Our server must reassemble it and answer in DTLS 1.2.
/// </summary>
public sealed class DtlsChromiumHelloTests
{
    private const string ChromiumFingerprint =
        "sha-256 49:23:DD:1A:F9:1A:46:5B:D0:D5:A9:AE:09:EC:92:83:55:B7:F8:8B:B3:9B:59:F7:BF:69:16:44:76:09:BA:53";

    private static byte[][] CapturedDatagrams => File.ReadAllLines(Path.Combine(
            RepoPaths.Root, "tests", "P2PSync.Node.Tests", "Transport", "WebRtc", "Resources", "chromium-client-hello.hex"))
        .Where(line => line.Length > 0)
        .Select(Convert.FromHexString)
        .ToArray();

    [Fact]
    public void The_capture_is_the_fragmented_hello_the_notes_describe()
    {
        var datagrams = CapturedDatagrams;

        Assert.Equal([1200, 263], datagrams.Select(d => d.Length));
        foreach (var datagram in datagrams)
        {
            Assert.Equal(22, datagram[0]);
            Assert.Equal([0xfe, 0xff], datagram[1..3]);
            Assert.Equal(1, datagram[13]); // client_hello
            Assert.Equal(1413, (datagram[14] << 16) | (datagram[15] << 8) | datagram[16]);
        }
    }

    [Fact]
    public async Task Our_server_reassembles_chromiums_two_fragment_hello_and_answers_dtls_1_2_with_our_suite_and_ems()
    {
        await using var link = new InMemoryDatagramLink();
        await using var server = new DtlsSession(link.A, DtlsCertificate.Generate(TimeProvider.System));
        var sent = new ConcurrentQueue<byte[]>();
        link.A.OnSend = sent.Enqueue;
        foreach (var datagram in CapturedDatagrams)
        {
            link.A.Inject(datagram);
        }

        server.Start(DtlsRole.Server, [DtlsFingerprint.Parse(ChromiumFingerprint)]);
        await Eventually.HoldsAsync(() => !sent.IsEmpty, DtlsTestPair.Patience);

        var serverHello = sent.First();
        Assert.Equal(22, serverHello[0]);
        Assert.Equal([0xfe, 0xfd], serverHello[1..3]); // record version DTLS 1.2
        Assert.Equal(2, serverHello[13]); // server_hello
        var body = serverHello.AsSpan(25);
        Assert.Equal([0xfe, 0xfd], body[..2].ToArray()); // server_version DTLS 1.2, although Chromium offered 1.3
        var afterSessionId = 2 + 32 + 1 + body[34];
        Assert.Equal(0xC02B, BinaryPrimitives.ReadUInt16BigEndian(body[afterSessionId..]));
        Assert.Contains(0x0017, ExtensionTypes(body[(afterSessionId + 3)..])); // extended_master_secret echoed
    }

    private static List<int> ExtensionTypes(ReadOnlySpan<byte> extensionsBlock)
    {
        var types = new List<int>();
        var total = BinaryPrimitives.ReadUInt16BigEndian(extensionsBlock);
        var extensions = extensionsBlock.Slice(2, total);
        while (extensions.Length >= 4)
        {
            types.Add(BinaryPrimitives.ReadUInt16BigEndian(extensions));
            var length = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
            extensions = extensions[(4 + length)..];
        }

        return types;
    }
}
