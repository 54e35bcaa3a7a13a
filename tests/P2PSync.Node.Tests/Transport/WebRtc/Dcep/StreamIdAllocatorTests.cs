using P2PSync.Node.Transport.WebRtc.Dcep;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dcep;

/// <summary>Stream id parity by DTLS role and reuse only after both resets (RFC 8832 §6, notes §4.2).</summary>
public sealed class StreamIdAllocatorTests
{
    [Fact]
    public void The_dtls_client_opens_even_ids_and_the_server_odd_ones()
    {
        var client = new StreamIdAllocator(localIsDtlsClient: true);
        var server = new StreamIdAllocator(localIsDtlsClient: false);

        Assert.Equal([0, 2, 4], Allocate(client, 3));
        Assert.Equal([1, 3, 5], Allocate(server, 3));
        Assert.True(StreamIdAllocator.HasParityOf(4, dtlsClient: true));
        Assert.True(StreamIdAllocator.HasParityOf(3, dtlsClient: false));
        Assert.False(StreamIdAllocator.HasParityOf(3, dtlsClient: true));
    }

    [Fact]
    public void An_id_is_reused_only_after_both_directions_are_reset()
    {
        var client = new StreamIdAllocator(localIsDtlsClient: true);
        Allocate(client, 2);

        client.BeginReset(0);
        Assert.Equal([4], Allocate(client, 1));
        Assert.True(client.IsTaken(0));

        client.Release(0);
        Assert.Equal([0], Allocate(client, 1));
    }

    [Fact]
    public void Incoming_opens_are_judged_by_the_state_of_their_stream()
    {
        var server = new StreamIdAllocator(localIsDtlsClient: false, streamCount: 10);
        Allocate(server, 1); // 1

        Assert.Equal(IncomingOpenVerdict.Accepted, server.ClaimForIncomingOpen(0));
        Assert.Equal(IncomingOpenVerdict.InUse, server.ClaimForIncomingOpen(0));
        Assert.Equal(IncomingOpenVerdict.InUse, server.ClaimForIncomingOpen(1));
        server.BeginReset(0);
        Assert.Equal(IncomingOpenVerdict.StillResetting, server.ClaimForIncomingOpen(0));
        server.Release(0);
        Assert.Equal(IncomingOpenVerdict.Accepted, server.ClaimForIncomingOpen(0));
        Assert.Equal(IncomingOpenVerdict.OutOfRange, server.ClaimForIncomingOpen(10));
        Assert.Equal(IncomingOpenVerdict.OutOfRange, new StreamIdAllocator(true).ClaimForIncomingOpen(ushort.MaxValue));
    }

    [Fact]
    public void Allocation_stops_when_the_streams_of_our_parity_run_out()
    {
        var server = new StreamIdAllocator(localIsDtlsClient: false, streamCount: 6);

        Assert.Equal([1, 3, 5], Allocate(server, 3));
        Assert.False(server.TryAllocate(out _));
        Assert.Equal(3, server.Count);
    }

    [Fact]
    public void A_negotiated_channel_claims_any_free_id_once()
    {
        var client = new StreamIdAllocator(localIsDtlsClient: true, streamCount: 100);

        Assert.True(client.TryClaim(7));
        Assert.False(client.TryClaim(7));
        Assert.False(client.TryClaim(100));
        Assert.Equal(IncomingOpenVerdict.InUse, client.ClaimForIncomingOpen(7));
    }

    [Fact]
    public void The_stream_count_is_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamIdAllocator(true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamIdAllocator(true, 65536));
    }

    private static List<int> Allocate(StreamIdAllocator allocator, int count)
    {
        var ids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            Assert.True(allocator.TryAllocate(out var id));
            ids.Add(id);
        }

        return ids;
    }
}
