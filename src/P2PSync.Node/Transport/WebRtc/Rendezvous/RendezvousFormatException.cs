namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>The only exception <see cref="RendezvousCodec.Decode"/> throws: the bytes are not a well-formed, well-signed rendezvous message.</summary>
internal sealed class RendezvousFormatException : Exception
{
    public RendezvousFormatException(RendezvousFormatProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public RendezvousFormatProblem Problem { get; }
}
