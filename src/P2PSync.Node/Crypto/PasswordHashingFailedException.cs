using System.Security.Cryptography;

namespace P2PSync.Node.Crypto;

/// <summary>
/// Argon2id refused to run, in practice because the memory limit could not be allocated; the
/// caller should tell the user rather than fall back to a weaker cost.
/// </summary>
internal sealed class PasswordHashingFailedException : CryptographicException
{
    public PasswordHashingFailedException(Argon2idCost cost)
        : base($"Argon2id could not derive a key with {cost} (not enough memory?).")
    {
    }
}
