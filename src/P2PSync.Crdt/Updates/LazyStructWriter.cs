using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Updates;

/// <summary>
/// Writes structs client by client without knowing up front how many there are (yjs
/// LazyStructWriter): each client's rest-stream bytes are set aside until <see cref="Finish"/>
/// can prefix them with their struct count.
/// </summary>
internal sealed class LazyStructWriter
{
    private readonly IUpdateEncoder _encoder;
    private readonly List<(int Written, byte[] Bytes)> _clientStructs = [];
    private ulong _currentClient;
    private int _written;

    public LazyStructWriter(IUpdateEncoder encoder)
    {
        _encoder = encoder;
    }

    public void Write(AbstractStruct s, int offset)
    {
        if (_written > 0 && _currentClient != s.Id.Client)
        {
            Flush();
        }
        if (_written == 0)
        {
            _currentClient = s.Id.Client;
            _encoder.WriteClient(s.Id.Client);
            _encoder.RestWriter.WriteVarUint((ulong)(s.Id.Clock + offset));
        }
        s.Write(_encoder, offset);
        _written++;
    }

    /// <summary>Writes the struct section (client count, then each client's structs) to the rest stream.</summary>
    public void Finish()
    {
        Flush();
        var rest = _encoder.RestWriter;
        rest.WriteVarUint((ulong)_clientStructs.Count);
        foreach (var (written, bytes) in _clientStructs)
        {
            rest.WriteVarUint((ulong)written);
            rest.WriteUint8Array(bytes);
        }
    }

    private void Flush()
    {
        if (_written > 0)
        {
            _clientStructs.Add((_written, _encoder.RestWriter.ToArray()));
            _encoder.RestWriter.Clear();
            _written = 0;
        }
    }
}
