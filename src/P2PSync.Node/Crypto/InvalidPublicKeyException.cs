using System.Security.Cryptography;

namespace P2PSync.Node.Crypto;

/// <summary>A public key is not a valid curve point, so it cannot belong to any device.</summary>
internal sealed class InvalidPublicKeyException : CryptographicException
{
    public InvalidPublicKeyException(string detail)
        : base($"Not a valid public key: {detail}.")
    {
    }
}
