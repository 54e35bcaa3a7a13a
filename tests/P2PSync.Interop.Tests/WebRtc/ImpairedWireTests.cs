using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using P2PSync.Interop.Tests.Mdns;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// The impaired wire itself, with plain UDP between the namespaces: numbered datagrams arrive with
/// about the configured loss, some out of order and some twice, and the wire's counters agree with
/// what the receiver saw. Without impairment every datagram arrives once and in order.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class ImpairedWireTests(ITestOutputHelper output)
{
    private const int Datagrams = 2000;

    [NetnsFact]
    public async Task Numbered_datagrams_are_lost_reordered_and_duplicated_as_configured()
    {
        var impairment = WireImpairment.LossAndReorder(seed: 7801) with { DuplicatePercent = 2 };
        output.WriteLine($"seed {impairment.Seed}: {impairment}");
        var seen = await SendNumberedAsync(impairment);

        output.WriteLine($"received {seen.Count} datagrams, {seen.Distinct().Count()} distinct, {Inversions(seen)} arrived after a later one");
        var lostShare = 1 - (seen.Distinct().Count() / (double)Datagrams);
        Assert.InRange(lostShare, 0.025, 0.08);
        Assert.True(seen.Count > seen.Distinct().Count(), "no datagram arrived twice");
        Assert.True(Inversions(seen) > Datagrams / 20, "hardly anything was reordered");
    }

    [NetnsFact]
    public async Task Without_impairment_every_datagram_arrives_once_in_order()
    {
        var seen = await SendNumberedAsync(new WireImpairment { Seed = 7802 });

        Assert.Equal(Enumerable.Range(0, Datagrams), seen);
    }

    private async Task<List<int>> SendNumberedAsync(WireImpairment impairment)
    {
        await using var lan = await VethLan.CreateImpairedAsync(impairment, TimeProvider.System);
        using var receiver = NetnsSockets.CreateUdpSocket(lan.B.Name, AddressFamily.InterNetwork);
        receiver.Bind(new IPEndPoint(lan.B.Ipv4, 0));
        using var sender = NetnsSockets.CreateUdpSocket(lan.A.Name, AddressFamily.InterNetwork);
        sender.Bind(new IPEndPoint(lan.A.Ipv4, 0));
        var target = receiver.LocalEndPoint!;
        var seen = new List<int>();
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[64];
            using var quiet = new CancellationTokenSource();
            while (true)
            {
                // The wire holds packets 15 ms at most; 500 ms of silence after the last send means all are in.
                quiet.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    var got = await receiver.ReceiveAsync(buffer, SocketFlags.None, quiet.Token);
                    seen.Add(BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(0, got)));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var datagram = new byte[32];
        for (var i = 0; i < Datagrams; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(datagram, i);
            await sender.SendToAsync(datagram, SocketFlags.None, target);
            if (i % 50 == 49)
            {
                // Paced like a real sender, so the receiver's socket buffer never overflows.
                await Task.Delay(2);
            }
        }

        await receiving;
        output.WriteLine(lan.Wire!.ToString());
        Assert.Equal(seen.Count, lan.Wire.AToB.Forwarded);
        Assert.Equal(0, lan.Wire.BToA.Forwarded);
        return seen;
    }

    private static int Inversions(List<int> sequence)
    {
        var highest = -1;
        var inversions = 0;
        foreach (var number in sequence)
        {
            if (number < highest)
            {
                inversions++;
            }

            highest = Math.Max(highest, number);
        }

        return inversions;
    }
}
