using System.Buffers.Binary;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// One SCTP packet (RFC 9260 §3): a 12-byte common header and one or more chunks.
/// <code>
///  0          2          4                  8                 12
///  | src port | dst port | verification tag | CRC32c (LE!)    | chunks ...
/// </code>
/// The checksum covers the whole packet with its own field zeroed and is stored little-endian
/// (RFC 9260 appendix A; seen on Chromium's packets).
/// </summary>
internal sealed class SctpPacket
{
    public const int HeaderBytes = 12;

    public SctpPacket(ushort sourcePort, ushort destinationPort, uint verificationTag, IReadOnlyList<SctpChunk> chunks)
    {
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
        VerificationTag = verificationTag;
        Chunks = chunks;
    }

    public ushort SourcePort { get; }

    public ushort DestinationPort { get; }

    public uint VerificationTag { get; }

    public IReadOnlyList<SctpChunk> Chunks { get; }

    /// <summary>Parses and checks a packet; throws <see cref="WebRtcFormatException"/> for anything malformed, never anything else.</summary>
    public static SctpPacket Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes + 4)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.Truncated, $"packet of {bytes.Length} bytes has no chunk");
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (ComputeChecksum(bytes) != stored)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.BadChecksum, "CRC32c mismatch");
        }

        var chunks = new List<SctpChunk>();
        var rest = bytes[HeaderBytes..];
        while (rest.Length > 0)
        {
            SctpFormat.Require(rest, 4, "chunk header");
            var type = rest[0];
            var flags = rest[1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (length < 4)
            {
                throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"chunk type {type} has length {length}");
            }

            SctpFormat.Require(rest, length, $"chunk type {type}");
            chunks.Add(ReadChunk(type, flags, rest[4..length]));
            var padded = SctpFormat.Pad4(length);
            if (padded > rest.Length)
            {
                // The last chunk may arrive without its padding; anything else would be a length lie.
                break;
            }

            rest = rest[padded..];
        }

        return new SctpPacket(
            BinaryPrimitives.ReadUInt16BigEndian(bytes),
            BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            chunks);
    }

    public static SctpChunk ReadChunk(byte type, byte flags, ReadOnlySpan<byte> value) => (SctpChunkType)type switch
    {
        SctpChunkType.Data => DataChunk.Read(flags, value),
        SctpChunkType.Init => InitChunk.Read(false, value),
        SctpChunkType.InitAck => InitChunk.Read(true, value),
        SctpChunkType.Sack => SackChunk.Read(value),
        SctpChunkType.Heartbeat => HeartbeatChunk.Read(false, value),
        SctpChunkType.HeartbeatAck => HeartbeatChunk.Read(true, value),
        SctpChunkType.Abort => ErrorCausesChunk.Read(true, flags, value),
        SctpChunkType.Error => ErrorCausesChunk.Read(false, flags, value),
        SctpChunkType.Shutdown => ShutdownChunk.Read(value),
        SctpChunkType.CookieEcho => CookieEchoChunk.Read(value),
        SctpChunkType.ShutdownAck or SctpChunkType.CookieAck or SctpChunkType.ShutdownComplete => ReadEmpty((SctpChunkType)type, flags, value),
        SctpChunkType.ReConfig => ReConfigChunk.Read(value),
        SctpChunkType.ForwardTsn => ForwardTsnChunk.Read(value),
        _ => new UnknownChunk(type, flags, value.ToArray()),
    };

    /// <summary>Total bytes of the packet when written.</summary>
    public int EncodedLength
    {
        get
        {
            var length = HeaderBytes;
            foreach (var chunk in Chunks)
            {
                length += chunk.PaddedLength;
            }

            return length;
        }
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), VerificationTag);
        var at = HeaderBytes;
        foreach (var chunk in Chunks)
        {
            chunk.Write(bytes.AsSpan(at));
            at += chunk.PaddedLength;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), ComputeChecksum(bytes));
        return bytes;
    }

    private static SimpleChunk ReadEmpty(SctpChunkType type, byte flags, ReadOnlySpan<byte> value)
    {
        if (value.Length != 0)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"{type} carries {value.Length} bytes, expected none");
        }

        return new SimpleChunk(type, type == SctpChunkType.ShutdownComplete && (flags & SimpleChunk.TagReflectedFlag) != 0);
    }

    /// <summary>CRC32c of the packet as if its checksum field were zero, without copying it.</summary>
    private static uint ComputeChecksum(ReadOnlySpan<byte> packet)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        packet[..HeaderBytes].CopyTo(header);
        header[8..12].Clear();
        var crc = Crc32c.Update(~0u, header);
        return ~Crc32c.Update(crc, packet[HeaderBytes..]);
    }
}
