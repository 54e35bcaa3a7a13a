namespace P2PSync.Node.CrdtTools;

/// <summary>An editing-trace file is not in the expected format, or its patches do not fit the text.</summary>
internal sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception; the message says what is wrong and where.</summary>
    public TraceFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
