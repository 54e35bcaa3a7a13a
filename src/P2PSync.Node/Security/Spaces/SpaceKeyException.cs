using System.Security.Cryptography;

namespace P2PSync.Node.Security.Spaces;

/// <summary>A space key could not be unwrapped or added; <see cref="Problem"/> says why.</summary>
internal sealed class SpaceKeyException : CryptographicException
{
    public SpaceKeyException(SpaceKeyProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public SpaceKeyProblem Problem { get; }
}
