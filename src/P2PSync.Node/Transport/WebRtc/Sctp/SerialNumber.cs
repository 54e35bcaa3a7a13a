namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// RFC 1982 serial-number comparison: TSNs (32 bits) and SSNs (16 bits) wrap, so "a is before b"
/// means "b is less than half the number space ahead of a". Plain &lt; breaks at the wrap.
/// </summary>
internal static class SerialNumber
{
    public static bool Lt(uint a, uint b) => a != b && (int)(a - b) < 0;

    public static bool Le(uint a, uint b) => a == b || (int)(a - b) < 0;

    public static bool Gt(uint a, uint b) => Lt(b, a);

    public static bool Ge(uint a, uint b) => Le(b, a);

    public static uint Max(uint a, uint b) => Lt(a, b) ? b : a;

    public static bool Lt(ushort a, ushort b) => a != b && (short)(a - b) < 0;

    public static bool Le(ushort a, ushort b) => a == b || (short)(a - b) < 0;
}
