namespace P2PSync.Node.Transport.WebRtc.Stun;

/// <summary>
/// CRC-32 as zlib and ISO-HDLC define it (reflected polynomial 0xEDB88320, init and final XOR
/// 0xFFFFFFFF), for STUN FINGERPRINT and ICE foundations. System.IO.Hashing is not among our
/// packages; the bitwise form needs no table (no static state) and STUN messages are ~100 bytes.
/// </summary>
internal static class Crc32
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFF;
    }
}
