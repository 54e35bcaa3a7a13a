using System.Security.Cryptography;

namespace P2PSync.Node.Security.Spaces;

/// <summary>Protected bytes could not be opened: made by another device, for another context, truncated or altered.</summary>
internal sealed class KeyVaultException : CryptographicException
{
    public KeyVaultException(string message)
        : base(message)
    {
    }
}
