using System.Net.Sockets;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// Kernel buffers for the ICE host sockets. Linux's default receive buffer (rmem_default, about
/// 208 KiB) holds only some 90 full-size datagrams once the kernel's per-packet overhead is counted;
/// a bulk SCTP flight that lands while our receive loop is descheduled overflows it, and SCTP then
/// reads the drops as congestion and halves its window (seen by the bench: RcvbufErrors on a
/// lossless veth, 238 retransmissions per 328 MiB). 2 MiB covers a full congestion window.
/// </summary>
internal static class UdpSocketBuffers
{
    public const int PreferredBytes = 2 * 1024 * 1024;

    /// <summary>Asks for <see cref="PreferredBytes"/> each way; the kernel may cap it (rmem_max / wmem_max), which is fine.</summary>
    public static void Enlarge(Socket socket)
    {
        try
        {
            socket.ReceiveBufferSize = PreferredBytes;
            socket.SendBufferSize = PreferredBytes;
        }
        catch (SocketException)
        {
            // A platform that refuses the size keeps its default: slower under bursts, still correct.
        }
    }
}
