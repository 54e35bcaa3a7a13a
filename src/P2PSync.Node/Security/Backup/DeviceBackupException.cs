using System.Security.Cryptography;

namespace P2PSync.Node.Security.Backup;

/// <summary>A device backup file was refused; <see cref="Problem"/> says why and the message says it to the user.</summary>
internal sealed class DeviceBackupException : CryptographicException
{
    public DeviceBackupException(DeviceBackupProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public DeviceBackupException(DeviceBackupProblem problem, string message, Exception inner)
        : base(message, inner)
    {
        Problem = problem;
    }

    public DeviceBackupProblem Problem { get; }
}
