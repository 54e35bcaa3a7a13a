using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>
/// One machine on the in-memory LAN: one interface with an IPv4 (and optionally an IPv6)
/// address, and the engines it runs. Plays the part MdnsDiscovery plays for real: hands every
/// received packet to both engines and polls them when they ask.
/// </summary>
internal sealed class LanHost
{
    private readonly InMemoryMdnsLan _lan;

    public LanHost(InMemoryMdnsLan lan, string name, int interfaceIndex, IReadOnlyList<IPAddress> addresses, int seed)
    {
        _lan = lan;
        Name = name;
        Interface = new MdnsInterface(interfaceIndex, "eth0", addresses);
        Random = new Random(seed);
    }

    public string Name { get; }

    public MdnsInterface Interface { get; private set; }

    public Random Random { get; }

    /// <summary>False while the host is cut off the LAN (its interface went away).</summary>
    public bool Attached { get; private set; } = true;

    /// <summary>While true the host hears everything but its packets never reach the wire (a crash without goodbye).</summary>
    public bool Muted { get; set; }

    public MdnsResponder? Responder { get; private set; }

    public MdnsBrowser? Browser { get; private set; }

    public List<LanEvent> Events { get; } = [];

    /// <summary>Unicast packets that reached this host on a port other than 5353 (a legacy querier's socket).</summary>
    public List<(DnsMessage Message, IPEndPoint Source, int Port)> LegacyInbox { get; } = [];

    public IPAddress Ipv4 => Interface.Addresses.First(a => a.AddressFamily == AddressFamily.InterNetwork);

    public MdnsResponder AttachResponder(ServiceProfile profile)
    {
        Responder = new MdnsResponder(profile, _lan.Time, Random, NullLogger.Instance);
        _lan.Send(this, Responder.SetInterfaces([Interface]));
        return Responder;
    }

    public MdnsBrowser AttachBrowser(DnsName? serviceType = null)
    {
        Browser = new MdnsBrowser(serviceType ?? MdnsNames.P2PSyncService, _lan.Time, Random, NullLogger.Instance);
        Browser.Found += s => Events.Add(new LanEvent(_lan.Time.GetUtcNow(), "found", s));
        Browser.Updated += s => Events.Add(new LanEvent(_lan.Time.GetUtcNow(), "updated", s));
        Browser.Lost += s => Events.Add(new LanEvent(_lan.Time.GetUtcNow(), "lost", s));
        _lan.Send(this, Browser.SetInterfaces([Interface]));
        return Browser;
    }

    public void Start()
    {
        if (Responder is not null)
        {
            _lan.Send(this, Responder.Start());
        }

        if (Browser is not null)
        {
            _lan.Send(this, Browser.Start());
        }
    }

    /// <summary>The interface goes away (engines told, LAN stops delivering) or comes back.</summary>
    public void SetAttached(bool attached)
    {
        Attached = attached;
        IReadOnlyList<MdnsInterface> interfaces = attached ? [Interface] : [];
        if (Responder is not null)
        {
            _lan.Send(this, Responder.SetInterfaces(interfaces));
        }

        if (Browser is not null)
        {
            _lan.Send(this, Browser.SetInterfaces(interfaces));
        }
    }

    public DateTimeOffset? NextWakeUp
    {
        get
        {
            var a = Responder?.NextWakeUp;
            var b = Browser?.NextWakeUp;
            return a is null ? b : b is null ? a : a < b ? a : b;
        }
    }

    public void PollDue(DateTimeOffset now)
    {
        if (Responder?.NextWakeUp is { } r && r <= now)
        {
            _lan.Send(this, Responder.Poll());
        }

        if (Browser?.NextWakeUp is { } b && b <= now)
        {
            _lan.Send(this, Browser.Poll());
        }
    }

    public void Receive(DnsMessage message, IPEndPoint source, int port)
    {
        if (port != MdnsNames.Port)
        {
            LegacyInbox.Add((message, source, port));
            return;
        }

        if (Responder is not null)
        {
            _lan.Send(this, Responder.OnPacket(message, source, Interface.Index));
        }

        if (Browser is not null)
        {
            _lan.Send(this, Browser.OnPacket(message, source, Interface.Index));
        }
    }

    public IReadOnlyList<LanEvent> EventsOf(string kind) => Events.Where(e => e.Kind == kind).ToList();
}
