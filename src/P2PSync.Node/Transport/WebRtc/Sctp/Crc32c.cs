using System.Numerics;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// CRC32c (Castagnoli) as SCTP uses it (RFC 9260 appendix A): reflected, initial value and final
/// XOR all ones. <see cref="BitOperations.Crc32C(uint, ulong)"/> is hardware accelerated, so we feed
/// it eight bytes at a time and only the tail byte by byte.
/// </summary>
internal static class Crc32c
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    /// <summary>Continues a running CRC (not yet inverted) over more bytes, so a packet can be summed in pieces.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }
}
