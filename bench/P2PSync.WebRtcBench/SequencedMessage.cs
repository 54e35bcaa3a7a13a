using System.Buffers.Binary;

namespace P2PSync.WebRtcBench;

/// <summary>
/// The bench's binary messages, as peer-core.mjs makes them for the anchors: zeros with a big-endian
/// sequence number in the first four bytes, so the receiver can check order and match echoes.
/// </summary>
internal static class SequencedMessage
{
    /// <summary>A fresh buffer each time: a send may keep a reference to what it was given until it is acknowledged.</summary>
    public static byte[] Create(int size, uint sequence)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, sequence);
        return bytes;
    }

    /// <summary>The sequence number, or null for a message shorter than four bytes.</summary>
    public static uint? ReadSequence(ReadOnlySpan<byte> message) =>
        message.Length < 4 ? null : BinaryPrimitives.ReadUInt32BigEndian(message);
}
