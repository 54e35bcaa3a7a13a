using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>
/// Unmodified y-webrtc clients (npm y-webrtc 10.3.0 in node) rendezvous through our /signal on a
/// real Kestrel at 127.0.0.1: each provider's signalling connection comes up, each hears every
/// other's announce (its `peers` event) and receives the other's offer or answer SDP, in plain and
/// in password-encrypted rooms. Node has no WebRTC, so the providers get a signalling-only
/// RTCPeerConnection through y-webrtc's public `peerOpts.wrtc` option (see the script's header).
/// </summary>
public sealed class YWebrtcInteropTests
{
    [Theory]
    [InlineData(2, null)]
    [InlineData(3, "room-secret")]
    public async Task YWebrtcProviders_MeetThroughOurRelay(int peerCount, string? password)
    {
        await using var relay = new SignalRelayFactory();
        relay.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        relay.StartServer();
        var address = relay.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var signalUrl = address.Replace("http://", "ws://", StringComparison.Ordinal) + "/signal";
        var room = "interop-" + Guid.NewGuid().ToString("N");

        var peers = new List<YWebrtcPeerProcess>();
        try
        {
            for (var i = 0; i < peerCount; i++)
            {
                peers.Add(YWebrtcPeerProcess.Start(signalUrl, room, peerCount - 1, password));
            }

            var reports = await Task.WhenAll(peers.Select(p => p.ReportAsync()));

            var ids = reports.Select(r => r.PeerId).ToHashSet();
            Assert.Equal(peerCount, ids.Count);
            foreach (var report in reports)
            {
                var others = ids.Where(id => id != report.PeerId).ToHashSet();
                Assert.True(report.Connected);
                Assert.True(others.SetEquals(report.Peers), $"{report.PeerId} met {string.Join(",", report.Peers)}, expected {string.Join(",", others)}");
                Assert.True(others.SetEquals(report.SdpFrom), $"{report.PeerId} got SDP from {string.Join(",", report.SdpFrom)}, expected {string.Join(",", others)}");
            }

            // Real y-webrtc traffic never trips a refusal.
            Assert.DoesNotContain("source=\"signal\"", relay.Services.GetRequiredService<RelayMetrics>().Render());
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
    }
}
