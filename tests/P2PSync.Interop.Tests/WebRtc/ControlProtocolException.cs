namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>A peer driver printed something the control protocol does not allow, refused a command, or died.</summary>
internal sealed class ControlProtocolException : Exception
{
    public ControlProtocolException(string message)
        : base(message)
    {
    }

    public ControlProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
