using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Sdp;
using P2PSync.Node.Transport.WebRtc.Stun;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Hostile input aimed at a wired, connected PeerConnection (ours in B; its peer in A is ours, or
/// headless Chromium, on a veth pair) while a data channel carries traffic both ways. Junk comes from a fresh socket in A
/// (an off-path sender: ICE must not let it past) and, through a raw socket, with A's own ICE
/// address and port as its source (an on-path forger: it reaches DTLS, which must drop what does not
/// authenticate). Then hostile descriptions and candidates go in through the API. The connection
/// must stay up, every message must arrive intact, the counters must show the drops, and nothing
/// but the documented exceptions may come out of the API.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class OurPeerHostileTests(ITestOutputHelper output)
{
    private const int Seed = 8301;
    private const int DatagramsPerKind = 250;

    // A well-formed description that is not ours to take now (the connection is settled), with only an md5 fingerprint.
    private const string SdpWriterSample =
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
        "a=fingerprint:md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\n";

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [NetnsFact]
    public async Task Junk_on_the_wire_and_through_the_api_is_dropped_while_data_keeps_flowing()
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        await using var lan = await VethLan.CreateAsync();
        await using var a = OurPeerInNamespace.Create(lan.A, Seed + 1);
        await using var b = OurPeerInNamespace.Create(lan.B, Seed + 2);
        var here = a.Connection.CreateDataChannel("data");
        var (offer, answer) = OurPeerInNamespace.Connect(a, b);
        await a.WaitConnectedAsync(Within);
        await b.WaitConnectedAsync(Within);
        var there = (await b.AcceptChannelsAsync(1, Within))["data"];
        var (target, aIce) = await SelectedPairAsync(b);
        output.WriteLine($"target {target} (ours in B), its peer at {aIce}");

        var bCredentials = SdpParser.Parse(answer).DataSection!;
        var aCredentials = SdpParser.Parse(offer).DataSection!;
        var before = b.Connection.GetStats();
        using var timeout = new CancellationTokenSource(Within);
        var traffic = KeepTrafficFlowingAsync(here, there, timeout.Token);
        await SendBarrageAsync(lan.A, target, aIce, bCredentials.IceUfrag!, aCredentials.IceUfrag!, bCredentials.IcePwd!, random, timeout.Token);
        var exchanged = await traffic;
        output.WriteLine($"{exchanged} messages each way arrived intact during the barrage");

        ApiInputIsRefusedCleanly(b.Connection, random);
        await RoundTripAsync(here, there, "after the barrage", timeout.Token);

        AssertDropsCounted(before, b.Connection.GetStats());
        Assert.Equal(PeerConnectionState.Connected, a.Connection.State);
        Assert.Empty(a.Failures);
        Assert.Empty(b.Failures);
    }

    /// <summary>
    /// The same barrage at our connection with headless Chromium (which offered), forged as if from
    /// Chromium's own ICE endpoint: our side drops it all, and Chromium sees no disturbance either.
    /// </summary>
    [ChromiumFact]
    public async Task Junk_aimed_at_our_connection_with_chromium_is_dropped_while_data_keeps_flowing()
    {
        const int seed = 8302;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        await using var lan = await VethLan.CreateAsync();
        await using var chromium = await RemotePeer.StartAsync(PeerDriver.Chromium, lan.A);
        await using var ours = OurPeerInNamespace.Create(lan.B, seed + 1);
        using var stop = new CancellationTokenSource();
        await chromium.CreatePeerAsync();
        await chromium.CreateDataChannelAsync("data");
        var answer = await ours.AnswerAsync(chromium, stop.Token);
        await ours.WaitConnectedAsync(Within);
        var data = (await ours.AcceptChannelsAsync(1, Within))["data"];
        await chromium.WaitForAsync<ChannelOpenEvent>(c => c.Label == "data", Within, "data open at Chromium");
        var (target, chromiumIce) = await SelectedPairAsync(ours);
        output.WriteLine($"target {target} (ours in B), Chromium at {chromiumIce}");

        var ourCredentials = SdpParser.Parse(answer.Sdp).DataSection!;
        var chromiumUfrag = SdpParser.Parse((await chromium.GetLocalDescriptionAsync()).Sdp).DataSection!.IceUfrag!;
        var before = ours.Connection.GetStats();
        using var timeout = new CancellationTokenSource(Within);
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await RoundTripWithPeerAsync(data, chromium, $"round {i}", timeout.Token);
            }
        });
        await SendBarrageAsync(lan.A, target, chromiumIce, ourCredentials.IceUfrag!, chromiumUfrag, ourCredentials.IcePwd!, random, timeout.Token);
        await traffic;
        ApiInputIsRefusedCleanly(ours.Connection, random);
        await RoundTripWithPeerAsync(data, chromium, "after the barrage", timeout.Token);

        AssertDropsCounted(before, ours.Connection.GetStats());
        Assert.DoesNotContain(chromium.Events.OfType<ConnectionStateEvent>(), e => e.State is "disconnected" or "failed" or "closed");
        Assert.Empty(chromium.Events.OfType<DriverErrorEvent>());
        Assert.Empty(ours.Failures);
        await stop.CancelAsync();
    }

    /// <summary>
    /// Every hostile datagram at <paramref name="target"/>, alternately from a fresh socket in
    /// <paramref name="from"/> (off path) and forged from <paramref name="forgedSource"/>, the
    /// target's own peer (on path), so each kind arrives both ways.
    /// </summary>
    private async Task SendBarrageAsync(
        NetworkNamespace from, IPEndPoint target, IPEndPoint forgedSource, string targetUfrag, string peerUfrag, string targetPwd, Random random, CancellationToken ct)
    {
        using var offPath = NetnsSockets.CreateUdpSocket(from.Name, AddressFamily.InterNetwork);
        offPath.Bind(new IPEndPoint(from.Ipv4, 0));
        using var onPath = SpoofedUdpSender.Create(from);
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        var hostile = Hostile(random, targetUfrag, peerUfrag, targetPwd).ToList();
        for (var i = 0; i < hostile.Count; i++)
        {
            var (kind, datagram) = hostile[i];
            if (i % 2 == 0)
            {
                await offPath.SendToAsync(datagram, SocketFlags.None, target, ct);
            }
            else
            {
                onPath.Send(forgedSource, target, datagram);
            }

            sent[kind] = sent.GetValueOrDefault(kind) + 1;
            if (i % 40 == 39)
            {
                // Paced so the receive queue does not overflow: the drops counted should come from the checks.
                await Task.Delay(5, ct);
            }
        }

        output.WriteLine($"sent {hostile.Count} hostile datagrams: {string.Join(", ", sent.Select(k => $"{k.Key} {k.Value}"))}");
    }

    private void AssertDropsCounted(PeerConnectionStats before, PeerConnectionStats after)
    {
        output.WriteLine($"before: {before}");
        output.WriteLine($"after:  {after}");
        Assert.Equal(PeerConnectionState.Connected, after.State);
        Assert.True(after.IceBadIntegrity > before.IceBadIntegrity, "no bad-integrity check was counted");
        Assert.True(after.IceWrongUsername > before.IceWrongUsername, "no wrong-username check was counted");
        Assert.True(after.IceMalformedStun > before.IceMalformedStun, "no malformed STUN was counted");
        Assert.True(after.IceUnverifiedApplicationData + after.IceOtherProtocol > before.IceUnverifiedApplicationData + before.IceOtherProtocol, "no off-path non-STUN datagram was counted");
        Assert.True(after.DtlsForgedRecordsDropped > before.DtlsForgedRecordsDropped, "no forged DTLS record was counted");
        Assert.True(after.DtlsMalformedDatagramsDropped > before.DtlsMalformedDatagramsDropped, "no malformed DTLS datagram was counted");
    }

    private static async Task RoundTripWithPeerAsync(DataChannel ours, RemotePeer peer, string text, CancellationToken ct)
    {
        var payload = Encoding.UTF8.GetBytes(text + new string('.', 2000));
        await ours.SendAsync(payload, ct);
        await peer.WaitForAsync<ChannelMessageEvent>(m => m.Binary is { } b && b.AsSpan().SequenceEqual(payload), Within, $"{text} at the peer");
        await peer.SendTextAsync("data", text);
        var back = await ours.ReceiveAsync(ct);
        Assert.Equal(text, back?.Text);
    }

    /// <summary>Hostile descriptions and candidates through the API: only the documented exceptions, and nothing changes.</summary>
    private void ApiInputIsRefusedCleanly(PeerConnection connection, Random random)
    {
        var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = new[] { "garbage", "v=0\r\n", Mutate(SdpWriterSample, random), SdpWriterSample };
        foreach (var (type, sdp) in samples.SelectMany(s => new[] { ("offer", s), ("answer", s) }))
        {
            try
            {
                connection.SetRemoteDescription(type, sdp);
                Assert.Fail($"a {type} was taken on a connected connection: {sdp}");
            }
            catch (Exception e) when (e is WebRtcFormatException or PeerConnectionException)
            {
                refusals[e.GetType().Name] = refusals.GetValueOrDefault(e.GetType().Name) + 1;
            }
        }

        Assert.Throws<ArgumentException>(() => connection.SetRemoteDescription("pranswer", SdpWriterSample));
        var candidates = 0;
        for (var i = 0; i < 500; i++)
        {
            var line = Mutate("candidate:1644307991 1 udp 2113937151 10.78.0.9 41339 typ host generation 0", random);
            try
            {
                candidates += connection.AddRemoteCandidate(line) ? 1 : 0;
            }
            catch (WebRtcFormatException)
            {
                refusals["candidate"] = refusals.GetValueOrDefault("candidate") + 1;
            }
        }

        output.WriteLine($"API refusals: {string.Join(", ", refusals.Select(k => $"{k.Key} {k.Value}"))}; {candidates} mutated candidates taken (harmless: checks to nowhere)");
        Assert.True(refusals.GetValueOrDefault("candidate") > 0);
    }

    /// <summary>
    /// Every kind of junk, seeded: STUN with a wrong key, with a wrong ufrag, with broken attributes or
    /// a flipped byte, responses to nothing; DTLS records that are forged (random ciphertext), of a
    /// wrong epoch, truncated, or plaintext handshake/alert/CCS records after the handshake; raw bytes.
    /// </summary>
    private static IEnumerable<(string Kind, byte[] Datagram)> Hostile(Random random, string targetUfrag, string peerUfrag, string targetPwd)
    {
        var wrongKey = Encoding.UTF8.GetBytes("not-the-password-at-all-0123");
        var rightKey = Encoding.UTF8.GetBytes(targetPwd);
        for (var i = 0; i < DatagramsPerKind; i++)
        {
            yield return ("stun-bad-integrity", BindingRequest(random, $"{targetUfrag}:{peerUfrag}", wrongKey));
            yield return ("stun-wrong-ufrag", BindingRequest(random, $"x{targetUfrag}:{peerUfrag}", rightKey));
            yield return ("stun-flipped", Flip(BindingRequest(random, $"{targetUfrag}:{peerUfrag}", wrongKey), random));
            yield return ("stun-garbage", StunGarbage(random));
            yield return ("stun-response-to-nothing", StunWriter.Encode(new StunMessage { Method = StunMethod.Binding, Class = StunClass.SuccessResponse, TransactionId = TransactionId.Create(random) }, rightKey, addFingerprint: true));
            yield return ("dtls-forged", Record(random, 23, epoch: 1, RandomBytes(random, random.Next(24, 1100))));
            yield return ("dtls-wrong-epoch", Record(random, 23, epoch: (ushort)random.Next(2, 65536), RandomBytes(random, random.Next(24, 400))));
            yield return ("dtls-truncated", Record(random, 23, epoch: 1, RandomBytes(random, 64))[..random.Next(1, 60)]);
            yield return ("dtls-plaintext-after-handshake", Record(random, (byte)random.Next(20, 23), epoch: 0, RandomBytes(random, random.Next(1, 200))));
            yield return ("raw", RandomBytes(random, random.Next(0, 1400)));
        }
    }

    private static byte[] BindingRequest(Random random, string username, byte[] key) =>
        StunWriter.Encode(
            new StunMessage
            {
                Method = StunMethod.Binding,
                Class = StunClass.Request,
                TransactionId = TransactionId.Create(random),
                Username = username,
                Priority = 1853824767,
                IceControlling = (ulong)random.NextInt64(),
                UseCandidate = random.Next(2) == 0,
            },
            key,
            addFingerprint: true);

    // A STUN header (magic cookie and all) followed by random attribute bytes.
    private static byte[] StunGarbage(Random random)
    {
        var body = RandomBytes(random, random.Next(0, 200) * 4);
        var datagram = new byte[20 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, 0x0001);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)body.Length);
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), 0x2112A442);
        random.NextBytes(datagram.AsSpan(8, 12));
        body.CopyTo(datagram, 20);
        return datagram;
    }

    // DTLS 1.2 record header: type, version FEFD, epoch, 48-bit sequence number, length (RFC 6347 §4.1).
    private static byte[] Record(Random random, byte contentType, ushort epoch, byte[] fragment)
    {
        var record = new byte[13 + fragment.Length];
        record[0] = contentType;
        record[1] = 0xFE;
        record[2] = 0xFD;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), epoch);
        random.NextBytes(record.AsSpan(5, 6));
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)fragment.Length);
        fragment.CopyTo(record, 13);
        return record;
    }

    private static byte[] Flip(byte[] datagram, Random random)
    {
        datagram[random.Next(datagram.Length)] ^= (byte)random.Next(1, 256);
        return datagram;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToCharArray();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            chars[random.Next(chars.Length)] = " :\r\n\0xyz0123456789.-"[random.Next(20)];
        }

        return new string(chars)[..random.Next(1, chars.Length + 1)];
    }

    /// <summary>Messages both ways, each checked on arrival, until the barrage is over; returns how many went each way.</summary>
    private static async Task<int> KeepTrafficFlowingAsync(DataChannel here, DataChannel there, CancellationToken ct)
    {
        var count = 0;
        for (; count < 40; count++)
        {
            await RoundTripAsync(here, there, $"message {count}", ct);
            await Task.Delay(25, ct);
        }

        return count;
    }

    private static async Task RoundTripAsync(DataChannel here, DataChannel there, string text, CancellationToken ct)
    {
        var payload = Encoding.UTF8.GetBytes(text + new string('.', 2000));
        await here.SendAsync(payload, ct);
        var got = await there.ReceiveAsync(ct);
        Assert.True(got is { IsText: false } m && m.Data.Span.SequenceEqual(payload), $"{text} arrived changed at B");
        await there.SendAsync(text, ct);
        var back = await here.ReceiveAsync(ct);
        Assert.Equal(text, back?.Text);
    }

    /// <summary>B's end of the nominated pair (where the junk goes) and A's end (the source the forger claims).</summary>
    private static async Task<(IPEndPoint Target, IPEndPoint Peer)> SelectedPairAsync(OurPeerInNamespace b)
    {
        for (var attempt = 0; attempt < 80; attempt++)
        {
            if (b.Connection.GetStats().SelectedPair is { } pair)
            {
                var ends = pair.Split(" -> ");
                return (IPEndPoint.Parse(ends[0]), IPEndPoint.Parse(ends[1]));
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("no selected pair");
    }
}
