using System.Buffers.Binary;
using System.Net;

namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// Forward-only reader over one whole DNS message. Every read checks the bytes it needs first
/// and throws <see cref="DnsFormatException"/> when they are missing, so no other exception can
/// escape from hostile input. Names in rdata may point anywhere earlier in the message, which is
/// why the reader always holds the whole message, not just the current section.
/// </summary>
internal ref struct DnsReader
{
    private readonly ReadOnlySpan<byte> _message;
    private int _position;

    public DnsReader(ReadOnlySpan<byte> message)
    {
        _message = message;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _message.Length - _position;

    public ushort ReadUInt16(string what)
    {
        Need(2, what);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(_position, 2));
        _position += 2;
        return value;
    }

    public uint ReadUInt32(string what)
    {
        Need(4, what);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_message.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public byte ReadByte(string what)
    {
        Need(1, what);
        return _message[_position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        Need(count, what);
        var bytes = _message.Slice(_position, count);
        _position += count;
        return bytes;
    }

    /*
     * A name is a run of labels ending in a zero byte, or in a pointer to a suffix written
     * earlier (RFC 1035 §4.1.4):
     *
     *   +--------+---------------+--------+-----------+--------+
     *   | len=3  | 'f' 'o' 'o'   | len=5  | 'l' 'o' ..| 0x00   |   plain labels
     *   +--------+---------------+--------+-----------+--------+
     *   +--------+---------------+-----------------------------+
     *   | len=3  | 'b' 'a' 'r'   | 11oooooo oooooooo           |   labels + pointer
     *   +--------+---------------+-----------------------------+
     *
     * Length byte: 00xxxxxx = label of 1..63 bytes, 11xxxxxx = pointer (14-bit offset from
     * the start of the message), 01xxxxxx and 10xxxxxx = reserved (RFC 6891 / obsolete), refused.
     *
     * Loop-proofing: a pointer must land strictly before the start of the run of labels that
     * contains it. Honest encoders only ever point at names written earlier, so they obey this;
     * a chain that obeys it visits strictly decreasing offsets and must end. The hop limit is a
     * second, independent bound.
     */
    public DnsName ReadName(string what)
    {
        var labels = new List<string>();
        var wireLength = 1;
        var cursor = _position;
        var segmentStart = _position;
        var resumeAt = -1;
        var hops = 0;
        while (true)
        {
            if (cursor >= _message.Length)
                throw new DnsFormatException($"The name in {what} runs past the end of the message.");
            var length = _message[cursor];
            var tag = length & DnsWireConstants.PointerTag;
            if (tag == DnsWireConstants.PointerTag)
            {
                if (cursor + 1 >= _message.Length)
                    throw new DnsFormatException($"A compression pointer in {what} is cut off.");
                var target = ((length & 0x3F) << 8) | _message[cursor + 1];
                if (target >= segmentStart)
                    throw new DnsFormatException($"A compression pointer in {what} points forward or into itself (offset {target} from {cursor}).");
                if (++hops > DnsWireConstants.MaxPointerHops)
                    throw new DnsFormatException($"The name in {what} follows more than {DnsWireConstants.MaxPointerHops} compression pointers.");
                if (resumeAt < 0)
                    resumeAt = cursor + 2;
                cursor = target;
                segmentStart = target;
                continue;
            }
            if (tag != 0)
                throw new DnsFormatException($"The name in {what} uses the reserved label type 0x{tag:X2}.");
            if (length == 0)
            {
                cursor++;
                break;
            }
            wireLength += 1 + length;
            if (wireLength > DnsName.MaxWireBytes)
                throw new DnsFormatException($"The name in {what} is longer than {DnsName.MaxWireBytes} bytes.");
            if (cursor + 1 + length > _message.Length)
                throw new DnsFormatException($"A label in {what} runs past the end of the message.");
            labels.Add(DnsName.DecodeLabel(_message.Slice(cursor + 1, length)));
            cursor += 1 + length;
        }
        _position = resumeAt >= 0 ? resumeAt : cursor;
        return DnsName.FromCheckedLabels([.. labels], wireLength);
    }

    /*
     * Question (RFC 1035 §4.1.2, RFC 6762 §5.4):
     *
     *   +---------------------------------------+
     *   / QNAME (labels, maybe compressed)      /
     *   +-------------------+-------------------+
     *   | QTYPE (16)        | QU(1) QCLASS(15)  |
     *   +-------------------+-------------------+
     */
    public DnsQuestion ReadQuestion(int index)
    {
        var what = $"question {index}";
        var name = ReadName(what);
        var type = (DnsRecordType)ReadUInt16(what);
        var qclass = ReadUInt16(what);
        return new DnsQuestion(name, type, (qclass & DnsWireConstants.UnicastResponseBit) != 0);
    }

    /*
     * Resource record (RFC 1035 §4.1.3, RFC 6762 §10.2):
     *
     *   +---------------------------------------+
     *   / NAME (labels, maybe compressed)       /
     *   +-------------------+-------------------+
     *   | TYPE (16)         | FLUSH(1) CLASS(15)|
     *   +-------------------+-------------------+
     *   | TTL (32, seconds)                     |
     *   +-------------------+-------------------+
     *   | RDLENGTH (16)     | RDATA ...         /
     *   +-------------------+-------------------+
     *
     * RDATA must be consumed exactly: a name or field that ends before or after RDLENGTH is an
     * rdlength mismatch.
     */
    public DnsRecord ReadRecord(string what)
    {
        var name = ReadName(what);
        var type = (DnsRecordType)ReadUInt16(what);
        var rrclass = ReadUInt16(what);
        var ttl = ReadUInt32(what);
        var rdLength = ReadUInt16(what);
        if (rdLength > Remaining)
            throw new DnsFormatException($"The rdata of {what} claims {rdLength} bytes but only {Remaining} remain.");
        var rdEnd = _position + rdLength;
        var data = ReadRdata(type, rdLength, rdEnd, what);
        if (_position != rdEnd)
            throw new DnsFormatException($"The rdata of {what} ({type}) used {_position - (rdEnd - rdLength)} bytes but rdlength says {rdLength}.");
        return new DnsRecord(name, type, (rrclass & DnsWireConstants.CacheFlushBit) != 0, ttl, data);
    }

    private DnsRecordData ReadRdata(DnsRecordType type, int rdLength, int rdEnd, string what)
    {
        switch (type)
        {
            // A: 4 bytes of IPv4 address. AAAA: 16 bytes of IPv6 address.
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                var size = type == DnsRecordType.A ? 4 : 16;
                if (rdLength != size)
                    throw new DnsFormatException($"The {type} rdata of {what} is {rdLength} bytes; it must be {size}.");
                return new AddressData(new IPAddress(ReadBytes(size, what)));

            // PTR: one name.
            case DnsRecordType.PTR:
                return new PtrData(ReadNameWithin(rdEnd, what));

            //   +-------------+-------------+-------------+------------------+
            //   | PRIORITY 16 | WEIGHT 16   | PORT 16     / TARGET name      /
            //   +-------------+-------------+-------------+------------------+
            case DnsRecordType.SRV:
                if (rdLength < 7)
                    throw new DnsFormatException($"The SRV rdata of {what} is {rdLength} bytes; at least 7 are needed.");
                var priority = ReadUInt16(what);
                var weight = ReadUInt16(what);
                var port = ReadUInt16(what);
                return new SrvData(priority, weight, port, ReadNameWithin(rdEnd, what));

            //   +--------+------------+--------+------------+---
            //   | len 8  | len bytes  | len 8  | len bytes  | ...   until rdlength is used up
            //   +--------+------------+--------+------------+---
            case DnsRecordType.TXT:
                return ReadTxt(rdEnd, what);

            //   +------------------+--------+--------+------------------+---
            //   / NEXT name        | window | length | bitmap (1..32)   | ...
            //   +------------------+--------+--------+------------------+---
            case DnsRecordType.NSEC:
                var next = ReadNameWithin(rdEnd, what);
                return new NsecData(next, NsecTypeBitmap.Read(ReadBytes(rdEnd - _position, what), what));

            default:
                return new OpaqueData(ReadBytes(rdLength, what).ToArray());
        }
    }

    private DnsName ReadNameWithin(int rdEnd, string what)
    {
        var name = ReadName(what);
        if (_position > rdEnd)
            throw new DnsFormatException($"The name in the rdata of {what} runs past its rdlength.");
        return name;
    }

    private TxtData ReadTxt(int rdEnd, string what)
    {
        var strings = new List<byte[]>();
        while (_position < rdEnd)
        {
            var length = _message[_position++];
            if (_position + length > rdEnd)
                throw new DnsFormatException($"A TXT string in {what} runs past its rdlength.");
            strings.Add(_message.Slice(_position, length).ToArray());
            _position += length;
        }
        // rdlength 0 is not legal DNS, but treating it as the empty TXT record costs nothing and
        // matches what it means (RFC 6763 §6.1).
        return new TxtData(strings);
    }

    private readonly void Need(int count, string what)
    {
        if (count > _message.Length - _position)
            throw new DnsFormatException($"The message ends inside {what}: {count} more bytes needed, {_message.Length - _position} left.");
    }
}
