using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using P2PSync.Interop.Tests.Mdns;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Chromium against a plain UDP socket of the test (notes §7, "a raw UDP peer"): Chromium offers,
/// the test answers with a hand-written SDP whose only candidate is that socket. Its first ICE
/// check is checked byte for byte with our own small reader; answered, it is followed by Chromium's
/// fragmented DTLS ClientHello. With P2PSYNC_WEBRTC_CAPTURE=1 both are saved as goldens for the
/// STUN and DTLS packages.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class ChromiumRawSocketTests
{
    private const string OurUfrag = "p2pharns";
    private const string OurPassword = "harnessPassword0123456789";

    private readonly ITestOutputHelper _output;

    public ChromiumRawSocketTests(ITestOutputHelper output) => _output = output;

    [ChromiumFact]
    public async Task Chromium_sends_a_signed_binding_request_to_the_answered_candidate()
    {
        const int seed = 8010;
        _output.WriteLine($"seed {seed}");
        await using var lan = await VethLan.CreateAsync();
        using var socket = NetnsSockets.CreateUdpSocket(lan.B.Name, AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(lan.B.Ipv4, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;

        await using var chromium = await RemotePeer.StartAsync(PeerDriver.Chromium, lan.A);
        await chromium.CreatePeerAsync();
        await chromium.CreateDataChannelAsync("probe");
        var offer = await chromium.CreateOfferAsync();
        var chromiumUfrag = Attribute(offer.Sdp, "ice-ufrag");
        var answer = HandWrittenAnswer(Attribute(offer.Sdp, "mid"), lan.B.Ipv4, port, "active", new Random(seed));
        var clock = Stopwatch.StartNew();
        await chromium.SetRemoteDescriptionAsync(new SessionDescriptionText("answer", answer));

        var request = await FirstBindingRequestAsync(socket, TimeSpan.FromSeconds(15));
        _output.WriteLine($"binding request after {clock.ElapsedMilliseconds} ms, {request.Bytes.Length} bytes: {Convert.ToHexString(request.Bytes)}");
        _output.WriteLine("attributes: " + string.Join(' ', request.Attributes.Select(a => $"0x{a.Type:X4}/{a.Length}")));

        Assert.Equal(0x0001, request.Type);
        // USERNAME is "receiver's ufrag:sender's ufrag" and MESSAGE-INTEGRITY is keyed with the receiver's password (RFC 8445 §7.2.2).
        Assert.Equal($"{OurUfrag}:{chromiumUfrag}", request.UsernameText);
        Assert.True(request.IntegrityMatches(OurPassword), "MESSAGE-INTEGRITY does not verify with our password");
        Assert.True(request.FingerprintMatches(), "FINGERPRINT missing, not last, or wrong");
        Assert.Equal(4, request.Value(CapturedStunMessage.Priority).Length);
        // Chromium offered, so it is ICE-controlling, and it nominates on its very first check (notes §0.3).
        Assert.True(request.Has(CapturedStunMessage.IceControlling));
        Assert.False(request.Has(CapturedStunMessage.IceControlled));
        Assert.True(request.Has(CapturedStunMessage.UseCandidate));

        ResourceCapture.SaveBytes("chromium-binding-request.bin", request.Bytes);
        ResourceCapture.SaveText("chromium-binding-request.txt", string.Create(CultureInfo.InvariantCulture, $"""
            Chromium {chromium.Version}: its first ICE check (STUN Binding request) to our host candidate.
            Chromium offered (ICE-controlling); we answered with a hand-written SDP.
            Receiver (ours) ufrag: {OurUfrag}
            Receiver (ours) password, the MESSAGE-INTEGRITY key: {OurPassword}
            Sender (Chromium) ufrag: {chromiumUfrag}
            USERNAME: {request.UsernameText}
            Sent from {lan.A.Ipv4} to {lan.B.Ipv4}:{port}.
            Captured by tests/P2PSync.Interop.Tests/WebRtc/ChromiumRawSocketTests.cs (P2PSYNC_WEBRTC_CAPTURE=1).

            """));
    }

    [ChromiumFact]
    public async Task Chromium_sends_a_fragmented_client_hello_once_its_check_is_answered()
    {
        const int seed = 8011;
        _output.WriteLine($"seed {seed}");
        await using var lan = await VethLan.CreateAsync();
        using var socket = NetnsSockets.CreateUdpSocket(lan.B.Name, AddressFamily.InterNetwork);
        socket.Bind(new IPEndPoint(lan.B.Ipv4, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;

        await using var chromium = await RemotePeer.StartAsync(PeerDriver.Chromium, lan.A);
        await chromium.CreatePeerAsync();
        await chromium.CreateDataChannelAsync("probe");
        var offer = await chromium.CreateOfferAsync();
        // passive: we are the DTLS server, so Chromium opens the handshake as the client.
        var answer = HandWrittenAnswer(Attribute(offer.Sdp, "mid"), lan.B.Ipv4, port, "passive", new Random(seed));
        await chromium.SetRemoteDescriptionAsync(new SessionDescriptionText("answer", answer));

        var clock = Stopwatch.StartNew();
        var hello = new CapturedClientHello();
        var buffer = new byte[2048];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!hello.Complete)
        {
            var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline.Token);
            var datagram = buffer[..received.ReceivedBytes];
            var from = (IPEndPoint)received.RemoteEndPoint;
            if (CapturedStunMessage.TryRead(datagram) is { Type: 0x0001 } check)
            {
                await socket.SendToAsync(check.SuccessResponse(from, OurPassword), SocketFlags.None, from, deadline.Token);
                continue;
            }

            hello.Add(datagram);
        }

        _output.WriteLine($"ClientHello complete {clock.ElapsedMilliseconds} ms after the answer: body {hello.BodyLength} bytes; "
            + $"datagrams {string.Join(" + ", hello.Datagrams.Select(d => d.Length))}; fragments {string.Join(", ", hello.Fragments.Select(f => $"{f.Key}/{f.Value}"))}");
        Assert.True(hello.Fragments.Count >= 2, "Chromium's ClientHello was expected in fragments (notes §0.1)");
        Assert.True(hello.BodyLength > 1200, $"body of {hello.BodyLength} bytes");
        Assert.All(hello.Datagrams, d => Assert.True(d.Length <= 1200, $"a {d.Length}-byte datagram"));

        ResourceCapture.SaveText("chromium-client-hello.hex", string.Join('\n', hello.Datagrams.Select(Convert.ToHexString)) + "\n");
        ResourceCapture.SaveText("chromium-client-hello.txt", string.Create(CultureInfo.InvariantCulture, $"""
            Chromium {chromium.Version}: its DTLS 1.2 ClientHello, one datagram per line in chromium-client-hello.hex (hex),
            in arrival order, retransmissions left out. Body {hello.BodyLength} bytes; fragments (offset/length):
            {string.Join(", ", hello.Fragments.Select(f => $"{f.Key}/{f.Value}"))}.
            Chromium offered and was answered a=setup:passive, so it is the DTLS client. Its certificate fingerprint:
            {Attribute(offer.Sdp, "fingerprint")}
            Captured by tests/P2PSync.Interop.Tests/WebRtc/ChromiumRawSocketTests.cs (P2PSYNC_WEBRTC_CAPTURE=1).

            """));
    }

    /// <summary>A data-only answer as notes §5.3 describes it, with one host candidate: the test's socket.</summary>
    private static string HandWrittenAnswer(string mid, IPAddress address, int port, string setup, Random random)
    {
        var fingerprint = new byte[32];
        random.NextBytes(fingerprint);
        var lines = new[]
        {
            "v=0",
            "o=- 4611686018427387904 1 IN IP4 0.0.0.0",
            "s=-",
            "t=0 0",
            $"a=group:BUNDLE {mid}",
            "a=msid-semantic: WMS",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            $"a=candidate:1 1 udp 2130706431 {address} {port} typ host",
            "a=end-of-candidates",
            $"a=ice-ufrag:{OurUfrag}",
            $"a=ice-pwd:{OurPassword}",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 " + string.Join(':', fingerprint.Select(b => b.ToString("X2", CultureInfo.InvariantCulture))),
            $"a=setup:{setup}",
            $"a=mid:{mid}",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
        };
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static string Attribute(string sdp, string name)
    {
        var prefix = $"a={name}:";
        var line = sdp.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line?[prefix.Length..] ?? throw new ControlProtocolException($"no a={name} in the offer:\n{sdp}");
    }

    private static async Task<CapturedStunMessage> FirstBindingRequestAsync(Socket socket, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var buffer = new byte[2048];
        var ignored = new StringBuilder();
        try
        {
            while (true)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                var datagram = buffer[..length];
                if (CapturedStunMessage.TryRead(datagram) is { Type: 0x0001 } request)
                {
                    return request;
                }

                ignored.AppendLine(Convert.ToHexString(datagram));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no STUN Binding request within {within.TotalSeconds} s; other datagrams:\n{ignored}");
        }
    }
}
