using System.Text;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using P2PSync.Node.Tests.Transport.WebRtc.Support;
using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class PlainBouncyCastleInteropTests
{
    [Fact]
    public async Task Our_server_and_a_stock_bouncycastle_client_agree_on_records_both_ways()
    {
        await using var link = new InMemoryDatagramLink();
        var ourCertificate = DtlsCertificate.Generate(TimeProvider.System);
        var theirCertificate = DtlsCertificate.Generate(TimeProvider.System);
        await using var server = new DtlsSession(link.A, ourCertificate);
        server.Start(DtlsRole.Server, [theirCertificate.Fingerprint]);

        // An unarmed pre-check passes everything: the stock client sees the link as it is.
        using var passThrough = new DtlsRecordPrecheck();
        var adapter = new BcDatagramAdapter(link.B, passThrough, TimeProvider.System, 64);
        var client = new PlainBouncyCastleClient(theirCertificate);
        var transport = await Task.Factory.StartNew(
            () => new DtlsClientProtocol(new SecureRandom()).Connect(client, adapter), TaskCreationOptions.LongRunning).WaitAsync(DtlsTestPair.Patience);
        await server.Connected.WaitAsync(DtlsTestPair.Patience);

        Assert.True(client.Context.SecurityParameters.IsExtendedMasterSecret);
        Assert.True(ourCertificate.Fingerprint.Matches(client.ServerCertificate!.GetCertificateAt(0).GetEncoded()));

        var ping = "ping from stock BC"u8.ToArray();
        transport.Send(ping, 0, ping.Length);
        Assert.Equal("ping from stock BC", Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(server)));

        await server.SendAsync("pong from ours"u8.ToArray(), CancellationToken.None);
        var buffer = new byte[2048];
        var length = await Task.Factory.StartNew(() => transport.Receive(buffer, 0, buffer.Length, 10_000), TaskCreationOptions.LongRunning);
        Assert.Equal("pong from ours", Encoding.UTF8.GetString(buffer, 0, length));
        transport.Close();
    }
}
