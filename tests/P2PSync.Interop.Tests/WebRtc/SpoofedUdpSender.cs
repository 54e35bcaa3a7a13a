using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using P2PSync.Interop.Tests.Mdns;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Sends IPv4 UDP datagrams with any source address and port, through a raw socket (root) inside one
/// namespace: the hostile tests use it to make junk look as if it came from the peer's own ICE
/// endpoint, so it passes the ICE layer's "from the selected pair" check and reaches DTLS, the way
/// an on-path attacker's packets would. The UDP checksum is left 0 ("none", allowed over IPv4).
/// </summary>
internal sealed class SpoofedUdpSender : IDisposable
{
    private const int Ipv4HeaderLength = 20;
    private const int UdpHeaderLength = 8;

    private readonly Socket _raw;
    private ushort _identification;

    private SpoofedUdpSender(Socket raw) => _raw = raw;

    public static SpoofedUdpSender Create(NetworkNamespace ns)
    {
        var raw = NetnsSockets.RunInside(ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp));
        // We write the IP header ourselves; the kernel fills in nothing but the checksum and length checks.
        raw.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.HeaderIncluded, true);
        return new SpoofedUdpSender(raw);
    }

    public void Send(IPEndPoint from, IPEndPoint to, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[Ipv4HeaderLength + UdpHeaderLength + payload.Length];
        var ip = packet.AsSpan(0, Ipv4HeaderLength);
        ip[0] = 0x45; // version 4, 5 words of header
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], ++_identification);
        ip[8] = 64; // TTL
        ip[9] = (byte)ProtocolType.Udp;
        from.Address.TryWriteBytes(ip[12..16], out _);
        to.Address.TryWriteBytes(ip[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], HeaderChecksum(ip));
        var udp = packet.AsSpan(Ipv4HeaderLength, UdpHeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpHeaderLength + payload.Length));
        payload.CopyTo(packet.AsSpan(Ipv4HeaderLength + UdpHeaderLength));
        _raw.SendTo(packet, new IPEndPoint(to.Address, 0));
    }

    public void Dispose() => _raw.Dispose();

    // RFC 791: the ones' complement of the ones' complement sum of the header's 16-bit words.
    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
