using System.Net;
using System.Net.Sockets;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

public sealed class UdpSocketBuffersTests
{
    [Fact]
    public void Host_sockets_get_buffers_of_2_MiB_where_the_kernel_allows_it()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var before = socket.ReceiveBufferSize;

        UdpSocketBuffers.Enlarge(socket);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.True(socket.ReceiveBufferSize >= before, $"receive buffer shrank from {before} to {socket.ReceiveBufferSize}");
        const string rmemMax = "/proc/sys/net/core/rmem_max";
        if (File.Exists(rmemMax) && long.Parse(File.ReadAllText(rmemMax).Trim()) >= UdpSocketBuffers.PreferredBytes)
        {
            // Linux doubles the value asked for (room for its bookkeeping) and reports the doubled size.
            Assert.True(socket.ReceiveBufferSize >= UdpSocketBuffers.PreferredBytes, $"receive buffer {socket.ReceiveBufferSize}");
        }
    }
}
