using System.Buffers.Binary;
using System.Text;

namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// Growing buffer for one DNS message, with name compression: every name suffix written at an
/// offset a pointer can reach is remembered, and a later name ending in the same labels (same
/// bytes, so case is kept exactly) is written as its new labels plus a pointer.
/// </summary>
internal sealed class DnsWriter
{
    private readonly Dictionary<string, int> _suffixOffsets = new(StringComparer.Ordinal);
    private byte[] _buffer = new byte[512];

    public int Length { get; private set; }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Overwrites a 16-bit value already written (header counts, rdlength).</summary>
    public void PatchUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset, 2), value);

    public void WriteName(DnsName name)
    {
        var labels = name.Labels;
        for (var i = 0; i < labels.Count; i++)
        {
            var key = SuffixKey(labels, i);
            if (_suffixOffsets.TryGetValue(key, out var offset))
            {
                WriteUInt16((ushort)((DnsWireConstants.PointerTag << 8) | offset));
                return;
            }
            // Remember this suffix before writing it; pointers only have 14 bits of offset.
            if (Length <= DnsWireConstants.MaxPointerOffset)
                _suffixOffsets[key] = Length;
            var bytes = Encoding.UTF8.GetBytes(labels[i]);
            WriteByte((byte)bytes.Length);
            WriteBytes(bytes);
        }
        WriteByte(0);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    // Length-prefixed labels make the key unambiguous even when labels contain dots.
    private static string SuffixKey(IReadOnlyList<string> labels, int from)
    {
        var builder = new StringBuilder();
        for (var i = from; i < labels.Count; i++)
            builder.Append(labels[i].Length).Append(':').Append(labels[i]);
        return builder.ToString();
    }

    private void Ensure(int extra)
    {
        if (Length + extra <= _buffer.Length)
            return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
    }
}
