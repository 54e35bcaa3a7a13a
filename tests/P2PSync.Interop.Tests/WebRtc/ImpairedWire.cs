using System.Globalization;
using P2PSync.Interop.Tests.Mdns;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// The wire of an impaired <see cref="VethLan"/>: a TUN device in each namespace, joined by this
/// process, which carries every IP packet across with <see cref="WireImpairment"/>'s loss, delay,
/// reordering and duplication, each direction on its own thread and seed. It stands in for
/// <c>tc qdisc replace dev wrtc0 root netem ...</c> because the kernel here is built without
/// sch_netem (CONFIG_NET_SCH_NETEM is not set: tc answers "Specified qdisc kind is unknown").
/// </summary>
internal sealed class ImpairedWire : IDisposable
{
    private readonly TunDevice[] _devices;
    private readonly ImpairedDirection _aToB;
    private readonly ImpairedDirection _bToA;
    private int _stopped;

    private ImpairedWire(TunDevice a, TunDevice b, ImpairedDirection aToB, ImpairedDirection bToA, WireImpairment impairment)
    {
        _devices = [a, b];
        _aToB = aToB;
        _bToA = bToA;
        Impairment = impairment;
    }

    public WireImpairment Impairment { get; }

    public ImpairedDirection AToB => _aToB;

    public ImpairedDirection BToA => _bToA;

    /// <summary>Creates the two devices (named <paramref name="interfaceName"/>) and starts carrying packets.</summary>
    public static ImpairedWire Start(NetworkNamespace a, NetworkNamespace b, string interfaceName, WireImpairment impairment, TimeProvider time)
    {
        var tunA = TunDevice.Create(a.Name, interfaceName);
        TunDevice? tunB = null;
        try
        {
            tunB = TunDevice.Create(b.Name, interfaceName);
            // Distinct seeds per direction, both derived from the one seed the test prints.
            var aToB = new ImpairedDirection("a->b", tunA, tunB, [b.Ipv4, b.UlaIpv6], impairment, impairment.Seed, time);
            var bToA = new ImpairedDirection("b->a", tunB, tunA, [a.Ipv4, a.UlaIpv6], impairment, unchecked((impairment.Seed * 31) + 7), time);
            aToB.Start();
            bToA.Start();
            return new ImpairedWire(tunA, tunB, aToB, bToA, impairment);
        }
        catch
        {
            tunA.Dispose();
            tunB?.Dispose();
            throw;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Impairment}; {_aToB}; {_bToA}");

    /// <summary>Stops both directions and closes the devices (which removes them); rethrows a direction's failure.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            _aToB.Stop();
        }
        finally
        {
            try
            {
                _bToA.Stop();
            }
            finally
            {
                foreach (var device in _devices)
                {
                    device.Dispose();
                }
            }
        }
    }
}
