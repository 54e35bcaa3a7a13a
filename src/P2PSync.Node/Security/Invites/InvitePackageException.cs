using System.Security.Cryptography;

namespace P2PSync.Node.Security.Invites;

/// <summary>An invite package from the relay was refused; nothing was adopted. <see cref="Problem"/> says why.</summary>
internal sealed class InvitePackageException : CryptographicException
{
    public InvitePackageException(InvitePackageProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public InvitePackageProblem Problem { get; }
}
