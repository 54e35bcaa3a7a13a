using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery;

/// <summary>
/// An in-memory IPv4 link for <see cref="MdnsDiscovery"/> tests: every member has one interface
/// with one address; a multicast reaches every member that joined on its interface (the sender
/// too, as IP_MULTICAST_LOOP does), a unicast reaches the member with that address. Nothing
/// touches a real socket.
/// </summary>
internal sealed class FakeMdnsLan
{
    private readonly List<FakeMdnsSocket> _members = [];

    /// <summary>Every datagram sent on the link, in order.</summary>
    public ConcurrentQueue<(IPAddress From, MdnsDestination To, byte[] Payload)> Sent { get; } = new();

    public FakeMdnsSocket Join(IPAddress address, int interfaceIndex)
    {
        var member = new FakeMdnsSocket(this, address, interfaceIndex);
        lock (_members)
        {
            _members.Add(member);
        }

        return member;
    }

    internal void Deliver(FakeMdnsSocket from, byte[] payload, MdnsDestination to)
    {
        Sent.Enqueue((from.Address, to, payload));
        if (to.Family != AddressFamily.InterNetwork || !from.IsJoined)
        {
            return;
        }

        List<FakeMdnsSocket> members;
        lock (_members)
        {
            members = [.. _members];
        }

        var source = new IPEndPoint(from.Address, MdnsNames.Port);
        foreach (var member in members)
        {
            var reaches = to.Unicast is { } unicast ? unicast.Address.Equals(member.Address) : member.IsJoined;
            if (reaches)
            {
                member.Inject(payload, source);
            }
        }
    }
}
