namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// A y-protocols message (sync, awareness, auth or the y-websocket outer framing) is malformed:
/// truncated, an unknown message type, an oversized or overlong varint, invalid UTF-8 or JSON,
/// or bytes left over after the message. Decoding never throws anything else.
/// </summary>
public sealed class YProtocolFormatException : Exception
{
    public YProtocolFormatException(string message) : base(message) { }

    public YProtocolFormatException(string message, Exception inner) : base(message, inner) { }

    internal YProtocolFormatException(Lib0FormatProblem problem, string message) : base(message)
    {
        Problem = problem;
    }

    internal YProtocolFormatException(Lib0FormatProblem problem, string message, Exception inner) : base(message, inner)
    {
        Problem = problem;
    }

    /// <summary>How lib0 parsing failed; <see cref="Lib0FormatProblem.Malformed"/> for every non-lib0 problem.</summary>
    internal Lib0FormatProblem Problem { get; }
}
