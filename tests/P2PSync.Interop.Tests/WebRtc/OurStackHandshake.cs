using System.Diagnostics;
using System.Text.Json;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sdp;
using Xunit;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// One run of our ICE + DTLS against a real peer: the peer in namespace A, our stack in-process
/// with its socket in namespace B, SDP written and read by Sdp/OfferAnswer, the peer's trickled
/// candidates fed to our agent. Ends once ICE is connected and DTLS is established; SCTP is not
/// spoken yet, so the peer is left waiting for it and both sides are then closed.
/// </summary>
internal sealed class OurStackHandshake
{
    private static readonly TimeSpan IceWithin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DtlsWithin = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;
    private readonly int _seed;

    public OurStackHandshake(ITestOutputHelper output, int seed)
    {
        _output = output;
        _seed = seed;
    }

    /// <summary>Connects and checks; <paramref name="weOffer"/> picks who writes the offer, and so (with actpass/active) the DTLS roles.</summary>
    public async Task RunAsync(PeerDriver driver, bool weOffer)
    {
        _output.WriteLine($"seed {_seed}");
        var random = new Random(_seed);
        await using var lan = await VethLan.CreateAsync();
        await using var peer = await RemotePeer.StartAsync(driver, lan.A);
        _output.WriteLine($"{driver} {peer.Version}; {lan}");
        await using var ours = OurDtlsEndpoint.Create(weOffer ? IceRole.Controlling : IceRole.Controlled, lan.B.Ipv4, random);
        ours.StartIce(lan.B);
        var clock = Stopwatch.StartNew();

        // One host candidate, gathered synchronously by Start: it goes in our SDP with end-of-candidates, so we trickle nothing.
        var local = ours.SessionParameters(random) with
        {
            Candidates = [.. ours.Ice.Agent.LocalCandidates.Select(c => c.Candidate)],
            EndOfCandidates = true,
        };
        await peer.CreatePeerAsync();
        NegotiatedSession negotiated;
        string peerSdp;
        if (weOffer)
        {
            var offer = OfferAnswer.CreateOffer(local);
            await peer.SetRemoteDescriptionAsync(new SessionDescriptionText("offer", SdpWriter.Write(offer)));
            peerSdp = (await peer.CreateAnswerAsync()).Sdp;
            negotiated = OfferAnswer.AcceptAnswer(offer, SdpParser.Parse(peerSdp));
        }
        else
        {
            await peer.CreateDataChannelAsync("probe");
            peerSdp = (await peer.CreateOfferAsync()).Sdp;
            var answered = OfferAnswer.Answer(SdpParser.Parse(peerSdp), local);
            negotiated = answered.Negotiated;
            await peer.SetRemoteDescriptionAsync(new SessionDescriptionText("answer", SdpWriter.Write(answered.Answer)));
        }

        ours.Ice.SetRemoteCredentials(new IceCredentials(negotiated.RemoteIceUfrag, negotiated.RemoteIcePwd));
        foreach (var candidate in negotiated.RemoteCandidates)
        {
            ours.Ice.AddRemoteCandidate(candidate);
        }

        using var stopTrickle = new CancellationTokenSource();
        var trickle = FeedTrickledCandidatesAsync(peer, ours.Ice, stopTrickle.Token);
        try
        {
            await WaitUntilAsync(() => ours.Ice.Agent.State is IceConnectionState.Connected or IceConnectionState.Completed, IceWithin, () => $"ICE connected (state {ours.Ice.Agent.State}, pairs {ours.Ice.Agent.Pairs.Count})");
            var iceMs = clock.ElapsedMilliseconds;
            _output.WriteLine($"ICE {ours.Ice.Agent.State} after {iceMs} ms; selected {ours.Ice.Agent.SelectedPair}");

            ours.Dtls.Start(negotiated.LocalDtlsRole, negotiated.RemoteFingerprints);
            var connected = await Task.WhenAny(ours.Dtls.Connected, Task.Delay(DtlsWithin));
            Assert.True(connected == ours.Dtls.Connected, $"DTLS not established within {DtlsWithin.TotalSeconds} s: closed {ours.Dtls.ClosedReason} {ours.Dtls.ClosedMessage}; received {ours.Dtls.DatagramsReceived} datagrams\n--- peer stderr ---\n{peer.StderrTail}");
            await ours.Dtls.Connected;
            _output.WriteLine($"DTLS established after {clock.ElapsedMilliseconds - iceMs} ms more as {ours.Dtls.Role}: suite 0x{ours.Dtls.CipherSuite:X4}, EMS {ours.Dtls.ExtendedMasterSecret}, peer {ours.Dtls.PeerFingerprint}");

            // The role follows a=setup: the offerer says actpass, the answerer picks; werift and Chromium answer active and we do too.
            Assert.Equal(weOffer ? DtlsRole.Server : DtlsRole.Client, ours.Dtls.Role);
            Assert.Equal(0xC02B, ours.Dtls.CipherSuite);
            Assert.True(ours.Dtls.ExtendedMasterSecret, "the peer did not negotiate extended master secret");
            Assert.NotNull(ours.Dtls.PeerFingerprint);
            Assert.Contains(ours.Dtls.PeerFingerprint, negotiated.RemoteFingerprints);
            Assert.Equal(0, ours.Dtls.ForgedRecordsDropped);
            await CheckPeerSideAsync(peer, ours.Dtls.Role!.Value);

            // The controlling side reports Connected on its first valid pair and nominates a moment later.
            await WaitUntilAsync(() => ours.Ice.Agent.SelectedPair is not null, IceWithin, () => "nominated pair");
            _output.WriteLine($"selected pair {ours.Ice.Agent.SelectedPair}");
            Assert.Equal(lan.A.Ipv4, ours.Ice.Agent.SelectedPair!.RemoteEndPoint.Address);

            // Closing sends close_notify: the peer's DTLS transport must see it as a close, not a failure.
            await ours.Dtls.DisposeAsync();
            Assert.Equal(TransportClosedReason.ClosedLocally, ours.Dtls.ClosedReason);
            await WaitForPeerDtlsStateAsync(peer, "closed");
        }
        finally
        {
            await stopTrickle.CancelAsync();
            await trickle;
        }
    }

    /// <summary>
    /// The peer's own view, from getStats: its DTLS transport is connected in the other role, with
    /// our suite and an SRTP profile negotiated through use_srtp (never used: data only).
    /// </summary>
    private async Task CheckPeerSideAsync(RemotePeer peer, DtlsRole ourRole)
    {
        // The peer sees its handshake end when our last flight arrives, a moment after ours ends.
        var stats = await WaitForPeerDtlsStateAsync(peer, "connected");
        _output.WriteLine($"{peer.Driver} stats: {stats}");
        var transport = stats.GetProperty("transport");
        Assert.Equal(JsonValueKind.Object, transport.ValueKind);
        if (transport.GetProperty("dtlsRole").GetString() is { } peerRole)
        {
            Assert.Equal(ourRole == DtlsRole.Client ? "server" : "client", peerRole);
        }

        Assert.Equal("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", transport.GetProperty("dtlsCipher").GetString());
        // werift fails its transport without a negotiated SRTP profile, so we offer and echo one (Dtls/UseSrtpNegotiation).
        Assert.Equal(JsonValueKind.String, transport.GetProperty("srtpCipher").ValueKind);
    }

    private static async Task<JsonElement> WaitForPeerDtlsStateAsync(RemotePeer peer, string state)
    {
        var stats = await peer.GetStatsAsync();
        for (var attempt = 0; attempt < 50 && DtlsState(stats) != state; attempt++)
        {
            await Task.Delay(50);
            stats = await peer.GetStatsAsync();
        }

        Assert.True(DtlsState(stats) == state, $"the peer's DTLS is not {state}: {stats}\n--- peer stderr ---\n{peer.StderrTail}");
        return stats;
    }

    private static string? DtlsState(JsonElement stats) =>
        stats.GetProperty("transport") is { ValueKind: JsonValueKind.Object } transport ? transport.GetProperty("dtlsState").GetString() : null;

    /// <summary>Hands each candidate the peer trickles to our agent (Chromium and werift trickle even after writing some into the SDP).</summary>
    private async Task FeedTrickledCandidatesAsync(RemotePeer peer, IceTransport ice, CancellationToken stop)
    {
        try
        {
            await foreach (var e in peer.EventsAsync(stop))
            {
                if (e is not LocalCandidateEvent trickled)
                {
                    continue;
                }

                if (trickled.Candidate is not { } init || IceCandidateLine.IsEndOfCandidates(init.Candidate))
                {
                    ice.RemoteEndOfCandidates();
                    continue;
                }

                var used = ice.AddRemoteCandidate(IceCandidateLine.Parse(init.Candidate));
                _output.WriteLine($"peer trickled {init.Candidate} (used: {used})");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; later candidates are of no interest.
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"no {what()} within {within.TotalSeconds} s");
            }

            await Task.Delay(20);
        }
    }
}
