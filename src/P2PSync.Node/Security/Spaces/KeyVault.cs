using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// Encrypts secrets at rest (space keys, invite secrets) under a key derived from this device's
/// key, so a copied database alone reveals no space key. Protected form:
/// <code>
///   +-----------+------------------------------------------------------------+
///   | nonce 24  | XChaCha20-Poly1305(vault key, nonce, secret, AAD = context) |
///   +-----------+------------------------------------------------------------+
///   vault key = crypto_kdf(device seed, context "p2pvault", subkey id 1)
/// </code>
/// The caller's context (space id || epoch for a space key, invite id for an invite secret) is
/// authenticated, so a protected value copied to another row does not open there.
/// Dispose wipes the vault key.
/// </summary>
internal sealed class KeyVault : IDisposable
{
    public const int OverheadBytes = XChaCha20Poly1305.NonceBytes + XChaCha20Poly1305.TagBytes;

    private const ulong VaultSubkeyId = 1;

    private readonly byte[] _key = new byte[XChaCha20Poly1305.KeyBytes];
    private bool _disposed;

    public KeyVault(DeviceKey device)
    {
        ArgumentNullException.ThrowIfNull(device);
        SubkeyDerivation.Derive(device.Seed, "p2pvault"u8, VaultSubkeyId, _key);
    }

    /// <summary><paramref name="secret"/> encrypted for this device, bound to <paramref name="context"/>.</summary>
    public byte[] Protect(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> context)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var protectedBytes = new byte[OverheadBytes + secret.Length];
        var nonce = protectedBytes.AsSpan(0, XChaCha20Poly1305.NonceBytes);
        Sodium.RandomBytes(nonce);
        XChaCha20Poly1305.Encrypt(_key, nonce, context, secret, protectedBytes.AsSpan(XChaCha20Poly1305.NonceBytes));
        return protectedBytes;
    }

    /// <summary>The secret protected by this device for <paramref name="context"/>.</summary>
    /// <exception cref="KeyVaultException">Made by another device, for another context, truncated or altered.</exception>
    public byte[] Unprotect(ReadOnlySpan<byte> protectedBytes, ReadOnlySpan<byte> context)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (protectedBytes.Length < OverheadBytes)
        {
            throw new KeyVaultException($"Protected bytes are at least {OverheadBytes} long; these are {protectedBytes.Length}.");
        }

        var secret = new byte[protectedBytes.Length - OverheadBytes];
        try
        {
            XChaCha20Poly1305.Decrypt(
                _key, protectedBytes[..XChaCha20Poly1305.NonceBytes], context, protectedBytes[XChaCha20Poly1305.NonceBytes..], secret);
        }
        catch (DecryptionFailedException)
        {
            throw new KeyVaultException("The protected secret does not open with this device's key for this context: made by another device, moved, or altered.");
        }

        return secret;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Sodium.MemZero(_key);
        }
    }
}
