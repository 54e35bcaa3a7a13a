using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>Bundles chunks into packets of at most the MTU, in the order they are added.</summary>
internal sealed class PacketAssembler
{
    private readonly SctpOptions _options;
    private readonly uint _verificationTag;
    private readonly Queue<byte[]> _output;
    private readonly List<SctpChunk> _current = [];
    private int _currentBytes = SctpPacket.HeaderBytes;

    public PacketAssembler(SctpOptions options, uint verificationTag, Queue<byte[]> output)
    {
        _options = options;
        _verificationTag = verificationTag;
        _output = output;
    }

    public int PacketsWritten { get; private set; }

    /// <summary>Room left in the packet being filled.</summary>
    public int Remaining => _options.Mtu - _currentBytes;

    public bool IsEmpty => _current.Count == 0;

    /// <summary>Whether a chunk of <paramref name="chunkLength"/> bytes (before padding) would open a new packet.</summary>
    public bool WouldStartPacket(int chunkLength) => _current.Count == 0 || SctpFormat.Pad4(chunkLength) > Remaining;

    public void Add(SctpChunk chunk)
    {
        if (chunk.PaddedLength > Remaining && _current.Count > 0)
        {
            Flush();
        }

        _current.Add(chunk);
        _currentBytes += chunk.PaddedLength;
    }

    public void Flush()
    {
        if (_current.Count == 0)
        {
            return;
        }

        _output.Enqueue(new SctpPacket(_options.LocalPort, _options.RemotePort, _verificationTag, _current.ToArray()).ToBytes());
        _current.Clear();
        _currentBytes = SctpPacket.HeaderBytes;
        PacketsWritten++;
    }
}
