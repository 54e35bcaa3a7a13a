namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>COOKIE ECHO (type 10, RFC 9260 §3.3.11): the state cookie from the INIT ACK, returned byte for byte.</summary>
internal sealed class CookieEchoChunk : SctpChunk
{
    public CookieEchoChunk(byte[] cookie) => Cookie = cookie;

    public byte[] Cookie { get; }

    public override byte TypeCode => (byte)SctpChunkType.CookieEcho;

    public override int ValueLength => Cookie.Length;

    public static CookieEchoChunk Read(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.Missing, "COOKIE ECHO without a cookie");
        }

        return new CookieEchoChunk(value.ToArray());
    }

    protected override void WriteValue(Span<byte> value) => Cookie.CopyTo(value);
}
