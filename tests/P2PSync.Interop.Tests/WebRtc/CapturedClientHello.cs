using System.Buffers.Binary;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Collects the datagrams of a DTLS ClientHello until its handshake body is complete. Chromium
/// splits its ~1.4 KB hello into fragments in separate datagrams (notes §0.1), and retransmits
/// them, so fragments are kept by offset. Record and handshake headers, as read here:
/// <code>
/// record:    type(1)=22 | version(2)=FEFF | epoch(2) | sequence(6) | length(2)
/// handshake: msg_type(1)=1 | length(3) | message_seq(2) | fragment_offset(3) | fragment_length(3) | fragment
/// </code>
/// </summary>
internal sealed class CapturedClientHello
{
    private readonly SortedDictionary<int, int> _fragments = [];
    private readonly List<byte[]> _datagrams = [];
    private int _bodyLength = -1;

    /// <summary>The datagrams that carried new fragments, in arrival order (retransmissions left out).</summary>
    public IReadOnlyList<byte[]> Datagrams => _datagrams;

    /// <summary>(offset, length) of each fragment seen.</summary>
    public IReadOnlyDictionary<int, int> Fragments => _fragments;

    public int BodyLength => _bodyLength;

    /// <summary>True once the fragments cover the whole body from 0 to its length.</summary>
    public bool Complete
    {
        get
        {
            var covered = 0;
            foreach (var (offset, length) in _fragments)
            {
                if (offset > covered)
                {
                    return false;
                }

                covered = Math.Max(covered, offset + length);
            }

            return _bodyLength >= 0 && covered >= _bodyLength;
        }
    }

    /// <summary>Takes a datagram; false if it holds no ClientHello fragment (STUN, or anything else).</summary>
    public bool Add(byte[] datagram)
    {
        var added = false;
        var at = 0;
        while (datagram.Length - at >= 13 + 12)
        {
            var type = datagram[at];
            var version = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(at + 1));
            var recordLength = BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(at + 11));
            if (type != 22 || version != 0xFEFF || datagram.Length - at - 13 < recordLength || recordLength < 12)
            {
                break;
            }

            var handshake = datagram.AsSpan(at + 13, recordLength);
            if (handshake[0] == 1)
            {
                _bodyLength = ReadUInt24(handshake[1..]);
                var offset = ReadUInt24(handshake[6..]);
                var length = ReadUInt24(handshake[9..]);
                if (!_fragments.ContainsKey(offset))
                {
                    _fragments[offset] = length;
                    added = true;
                }
            }

            at += 13 + recordLength;
        }

        if (added)
        {
            _datagrams.Add(datagram);
        }

        return added;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> b) => (b[0] << 16) | (b[1] << 8) | b[2];
}
