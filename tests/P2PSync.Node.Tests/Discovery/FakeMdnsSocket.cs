using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery;

/// <summary>One member's socket on a <see cref="FakeMdnsLan"/>.</summary>
internal sealed class FakeMdnsSocket : IMdnsSocket
{
    private readonly FakeMdnsLan _lan;
    private readonly Channel<MdnsDatagram> _inbox = Channel.CreateUnbounded<MdnsDatagram>();
    private volatile bool _joined;

    public FakeMdnsSocket(FakeMdnsLan lan, IPAddress address, int interfaceIndex)
    {
        _lan = lan;
        Address = address;
        InterfaceIndex = interfaceIndex;
    }

    public IPAddress Address { get; }

    public int InterfaceIndex { get; }

    public bool IsJoined => _joined;

    public bool IsDisposed { get; private set; }

    /// <summary>The interface this member would report (for its interface monitor).</summary>
    public InterfaceCandidate Candidate => new(InterfaceIndex, "eth0", true, false, true, [Address]);

    /// <summary>Hands the member a datagram as if it arrived on its interface.</summary>
    public void Inject(byte[] payload, IPEndPoint source) =>
        _inbox.Writer.TryWrite(new MdnsDatagram(payload, source, InterfaceIndex));

    public ValueTask<MdnsDatagram> ReceiveAsync(CancellationToken cancellationToken) => _inbox.Reader.ReadAsync(cancellationToken);

    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, MdnsDestination destination, CancellationToken cancellationToken)
    {
        if (destination.InterfaceIndex != InterfaceIndex)
        {
            throw new SocketException((int)SocketError.NetworkUnreachable);
        }

        _lan.Deliver(this, payload.ToArray(), destination);
        return ValueTask.CompletedTask;
    }

    public void SetInterfaces(IReadOnlyList<MdnsInterface> interfaces) =>
        _joined = interfaces.Any(i => i.Index == InterfaceIndex);

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        _joined = false;
        _inbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
