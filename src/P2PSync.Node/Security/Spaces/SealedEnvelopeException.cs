using System.Security.Cryptography;

namespace P2PSync.Node.Security.Spaces;

/// <summary>An envelope could not be opened; <see cref="Problem"/> says why. Nothing from inside it is revealed.</summary>
internal sealed class SealedEnvelopeException : CryptographicException
{
    public SealedEnvelopeException(SealedEnvelopeProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public SealedEnvelopeProblem Problem { get; }
}
