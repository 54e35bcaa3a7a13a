using System.Security.Cryptography;

namespace P2PSync.Node.Crypto;

/// <summary>
/// A ciphertext did not authenticate: wrong key, wrong nonce or associated data, a tampered or
/// truncated byte. The cases are deliberately indistinguishable so a forger learns nothing.
/// </summary>
internal sealed class DecryptionFailedException : CryptographicException
{
    public DecryptionFailedException(string what)
        : base($"{what} could not be decrypted: wrong key, or the bytes were altered or truncated.")
    {
    }
}
