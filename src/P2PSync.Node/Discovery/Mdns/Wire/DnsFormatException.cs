namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// A DNS message, name or record that cannot be decoded or encoded: truncated data, a
/// compression loop or a forward pointer, a count larger than the packet could hold, a name
/// over 255 bytes, a label over 63 bytes or of a reserved type, an rdlength that does not match
/// its rdata, or (when encoding) a record whose data does not fit its type. The only exception
/// <see cref="DnsCodec"/> throws, so a receive loop needs exactly one catch to drop a bad packet.
/// </summary>
internal sealed class DnsFormatException : FormatException
{
    public DnsFormatException(string message) : base(message) { }

    public DnsFormatException(string message, Exception inner) : base(message, inner) { }
}
