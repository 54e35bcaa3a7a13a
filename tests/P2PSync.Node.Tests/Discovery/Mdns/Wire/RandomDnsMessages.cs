using System.Net;
using System.Text;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>
/// Seeded generator of valid messages: names drawn from a small pool (so compression has work
/// to do) mixed with random UTF-8 labels holding spaces, dots and non-ASCII text, and records
/// of every rdata kind, unknown types included.
/// </summary>
internal sealed class RandomDnsMessages
{
    private static readonly string[] Alphabet =
        ["a", "b", "Z", "0", "-", "_", " ", ".", "é", "ß", "日本", "🙂", "x y", "Ω"];

    private static readonly DnsRecordType[] KnownTypes =
        [DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.PTR, DnsRecordType.SRV, DnsRecordType.TXT, DnsRecordType.NSEC];

    private readonly Random _random;
    private readonly List<DnsName> _pool;

    public RandomDnsMessages(int seed)
    {
        _random = new Random(seed);
        _pool =
        [
            DnsName.Parse("_p2psync._tcp.local"),
            DnsName.Parse("local"),
            DnsName.Parse("p2psync-abcdefghij.local"),
            DnsName.FromLabels("Living Room (2)", "_p2psync", "_tcp", "local"),
        ];
    }

    public DnsMessage Message()
    {
        var questions = List(_random.Next(4), Question);
        var answers = List(_random.Next(6), Record);
        var authorities = List(_random.Next(3), Record);
        var additionals = List(_random.Next(4), Record);
        var flags = (DnsFlags)(ushort)_random.Next(0x10000);
        return new DnsMessage((ushort)_random.Next(0x10000), flags, questions, answers, authorities, additionals);
    }

    public DnsName Name()
    {
        if (_random.Next(3) > 0)
        {
            var baseName = _pool[_random.Next(_pool.Count)];
            return _random.Next(2) == 0 ? baseName : TryPrepend(baseName, Label());
        }
        var name = DnsName.Root;
        var labels = _random.Next(0, 5);
        for (var i = 0; i < labels; i++)
            name = TryPrepend(name, Label());
        if (_random.Next(4) == 0)
            _pool.Add(name);
        return name;
    }

    public string Label()
    {
        var builder = new StringBuilder();
        var parts = 1 + _random.Next(_random.Next(2) == 0 ? 4 : 30);
        for (var i = 0; i < parts; i++)
            builder.Append(Alphabet[_random.Next(Alphabet.Length)]);
        var label = builder.ToString();
        // Trim to 63 UTF-8 bytes on a text element boundary so surrogate pairs stay whole.
        while (Encoding.UTF8.GetByteCount(label) > DnsName.MaxLabelBytes)
            label = label[..^(char.IsLowSurrogate(label[^1]) ? 2 : 1)];
        return label;
    }

    public DnsRecord Record()
    {
        var pick = _random.Next(KnownTypes.Length + 1);
        var type = pick < KnownTypes.Length ? KnownTypes[pick] : (DnsRecordType)(ushort)_random.Next(256, 0x10000);
        DnsRecordData data = type switch
        {
            DnsRecordType.A => new AddressData(new IPAddress(Bytes(4))),
            DnsRecordType.AAAA => new AddressData(new IPAddress(Bytes(16))),
            DnsRecordType.PTR => new PtrData(Name()),
            DnsRecordType.SRV => new SrvData((ushort)_random.Next(0x10000), (ushort)_random.Next(0x10000), (ushort)_random.Next(0x10000), Name()),
            DnsRecordType.TXT => new TxtData(List(_random.Next(5), () => Bytes(_random.Next(2) == 0 ? _random.Next(10) : _random.Next(256)))),
            DnsRecordType.NSEC => new NsecData(Name(), new HashSet<DnsRecordType>(List(_random.Next(6), () => (DnsRecordType)(ushort)_random.Next(_random.Next(2) == 0 ? 256 : 0x10000)))),
            _ => new OpaqueData(Bytes(_random.Next(40))),
        };
        return new DnsRecord(Name(), type, _random.Next(2) == 0, (uint)_random.NextInt64(0, 1L << 32), data);
    }

    private DnsQuestion Question() =>
        new(Name(), (DnsRecordType)(ushort)_random.Next(0x10000), _random.Next(2) == 0);

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private List<T> List<T>(int count, Func<T> next)
    {
        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
            list.Add(next());
        return list;
    }

    // Random labels can push a name past 255 bytes; keep the shorter name then.
    private static DnsName TryPrepend(DnsName name, string label) =>
        name.WireLength + 1 + Encoding.UTF8.GetByteCount(label) <= DnsName.MaxWireBytes ? name.Prepend(label) : name;
}
