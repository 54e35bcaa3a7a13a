using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Secrets at rest: they open only on the device that protected them, for the same context, unaltered.</summary>
public sealed class KeyVaultTests
{
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] Context = "space-and-epoch"u8.ToArray();

    [Fact]
    public void Protected_secrets_open_again_on_the_same_device()
    {
        using var device = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        var protectedBytes = vault.Protect(Secret, Context);

        Assert.Equal(KeyVault.OverheadBytes + Secret.Length, protectedBytes.Length);
        Assert.Equal(Secret, vault.Unprotect(protectedBytes, Context));
        // A second vault from the same key (after a restart) opens it too.
        using var again = new KeyVault(DeviceKey.FromSeed(device.Seed));
        Assert.Equal(Secret, again.Unprotect(protectedBytes, Context));
    }

    [Fact]
    public void The_vault_key_is_the_documented_subkey_of_the_device_seed()
    {
        using var device = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        var vaultKey = new byte[32];
        SubkeyDerivation.Derive(device.Seed, "p2pvault"u8, 1, vaultKey);
        var protectedBytes = vault.Protect(Secret, Context);

        var opened = new byte[Secret.Length];
        XChaCha20Poly1305.Decrypt(vaultKey, protectedBytes.AsSpan(0, 24), Context, protectedBytes.AsSpan(24), opened);

        Assert.Equal(Secret, opened);
    }

    [Fact]
    public void Protecting_twice_gives_different_bytes_and_the_secret_is_not_visible()
    {
        using var device = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        var first = vault.Protect(Secret, Context);
        var second = vault.Protect(Secret, Context);

        Assert.False(first.AsSpan().SequenceEqual(second));
        Assert.True(first.AsSpan().IndexOf(Secret.AsSpan(0, 8)) < 0);
    }

    [Fact]
    public void Another_device_cannot_open()
    {
        using var device = DeviceKey.Generate();
        using var other = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        using var otherVault = new KeyVault(other);

        Assert.Throws<KeyVaultException>(() => otherVault.Unprotect(vault.Protect(Secret, Context), Context));
    }

    [Fact]
    public void Another_context_cannot_open()
    {
        using var device = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        var protectedBytes = vault.Protect(Secret, Context);

        Assert.Throws<KeyVaultException>(() => vault.Unprotect(protectedBytes, "space-and-epocH"u8));
        Assert.Throws<KeyVaultException>(() => vault.Unprotect(protectedBytes, []));
    }

    [Fact]
    public void Empty_secret_and_context_round_trip()
    {
        using var device = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        Assert.Empty(vault.Unprotect(vault.Protect([], []), []));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(39)]
    public void Bytes_shorter_than_nonce_and_tag_are_refused(int length)
    {
        using var device = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        Assert.Throws<KeyVaultException>(() => vault.Unprotect(new byte[length], Context));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(402)]
    public void Altered_bytes_are_refused(int seed)
    {
        using var device = DeviceKey.Generate();
        using var vault = new KeyVault(device);
        var protectedBytes = vault.Protect(Secret, Context);
        var random = new Random(seed);
        for (var i = 0; i < 200; i++)
        {
            var mutant = ByteMutator.Mutate(protectedBytes, random);
            try
            {
                vault.Unprotect(mutant, Context);
                Assert.Fail($"seed {seed}, case {i}: altered bytes {Convert.ToHexString(mutant)} opened");
            }
            catch (KeyVaultException)
            {
                // Refused, as it must be.
            }
        }
    }

    [Fact]
    public void A_disposed_vault_refuses_use()
    {
        using var device = DeviceKey.Generate();
        var vault = new KeyVault(device);
        vault.Dispose();
        Assert.Throws<ObjectDisposedException>(() => vault.Protect(Secret, Context));
        Assert.Throws<ObjectDisposedException>(() => vault.Unprotect(new byte[64], Context));
    }
}
