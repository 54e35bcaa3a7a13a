using System.Runtime.Versioning;
using P2PSync.Node.Identity;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Identity;

// Key files are protected by Unix permissions; the node targets Linux.
[UnsupportedOSPlatform("windows")]
public sealed class DeviceKeyStoreTests
{
    [Fact]
    public void CreateWritesAnOwnerOnly72ByteFileThatLoadsBackToTheSameId()
    {
        using var dir = new TempDirectory();
        var data = dir.Combine("new", "data");

        using var created = DeviceKeyStore.Create(data, overwrite: false);
        var path = DeviceKeyStore.PathIn(data);

        Assert.Equal(DeviceKeyStore.FileLength, new FileInfo(path).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".tmp"));
        using var loaded = DeviceKeyStore.Load(data);
        Assert.Equal(created.Id, loaded.Id);
        Assert.Equal(created.PublicKey.ToArray(), loaded.Id.PublicKey.ToArray());
    }

    [Fact]
    public void TwoDevicesGetDifferentKeys()
    {
        using var dir = new TempDirectory();
        using var a = DeviceKeyStore.Create(dir.Combine("a"), overwrite: false);
        using var b = DeviceKeyStore.Create(dir.Combine("b"), overwrite: false);
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public void LoadWithoutAKeySaysToRunInit()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<DeviceKeyException>(() => DeviceKeyStore.Load(dir.Path));
        Assert.Contains("p2psync init", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DeviceKeyStore.PathIn(dir.Path), ex.Path);
    }

    [Fact]
    public void CreateRefusesToReplaceAnExistingKeyUnlessAsked()
    {
        using var dir = new TempDirectory();
        using var first = DeviceKeyStore.Create(dir.Path, overwrite: false);
        var before = File.ReadAllBytes(DeviceKeyStore.PathIn(dir.Path));

        var ex = Assert.Throws<DeviceKeyException>(() => DeviceKeyStore.Create(dir.Path, overwrite: false));
        Assert.Contains("--force", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(DeviceKeyStore.PathIn(dir.Path)));

        using var replaced = DeviceKeyStore.Create(dir.Path, overwrite: true);
        Assert.NotEqual(first.Id, replaced.Id);
        using var loaded = DeviceKeyStore.Load(dir.Path);
        Assert.Equal(replaced.Id, loaded.Id);
    }

    [Fact]
    public void LoadOrCreateCreatesOnceThenLoads()
    {
        using var dir = new TempDirectory();
        using var first = DeviceKeyStore.LoadOrCreate(dir.Path);
        using var second = DeviceKeyStore.LoadOrCreate(dir.Path);
        Assert.Equal(first.Id, second.Id);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite, "0622")]
    public void AKeyReadableByOthersIsRefusedAndLeftAlone(UnixFileMode extra, string shown)
    {
        using var dir = new TempDirectory();
        using (DeviceKeyStore.Create(dir.Path, overwrite: false))
        {
        }

        var path = DeviceKeyStore.PathIn(dir.Path);
        var before = File.ReadAllBytes(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var ex = Assert.Throws<DeviceKeyException>(() => DeviceKeyStore.Load(dir.Path));
        Assert.Contains(shown, ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | extra, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(71)]
    [InlineData(73)]
    [InlineData(4096)]
    public void AKeyFileOfTheWrongSizeIsRefused(int size)
    {
        using var dir = new TempDirectory();
        var path = WriteOwnerOnly(dir.Path, new byte[size]);

        var ex = Assert.Throws<DeviceKeyException>(() => DeviceKeyStore.Load(dir.Path));
        Assert.Contains($"is {size} bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(size, new FileInfo(path).Length);
    }

    [Fact]
    public void AFileWithoutTheHeaderIsRefused()
    {
        using var dir = new TempDirectory();
        WriteOwnerOnly(dir.Path, new byte[DeviceKeyStore.FileLength]);
        var ex = Assert.Throws<DeviceKeyException>(() => DeviceKeyStore.Load(dir.Path));
        Assert.Contains("not a p2psync device key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySingleBitFlipInTheKeyMaterialIsDetected()
    {
        using var dir = new TempDirectory();
        using (DeviceKeyStore.Create(dir.Path, overwrite: false))
        {
        }

        var path = DeviceKeyStore.PathIn(dir.Path);
        var good = File.ReadAllBytes(path);
        for (var bit = 0; bit < good.Length * 8; bit++)
        {
            var bad = (byte[])good.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            File.WriteAllBytes(path, bad);
            Assert.Throws<DeviceKeyException>(() => DeviceKeyStore.Load(dir.Path));
            Assert.Equal(bad, File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void SeededRandomKeyFilesOnlyEverGiveDeviceKeyException()
    {
        using var dir = new TempDirectory();
        var random = new Random(424242);
        for (var n = 0; n < 300; n++)
        {
            var bytes = new byte[random.Next(3) == 0 ? random.Next(0, 200) : DeviceKeyStore.FileLength];
            random.NextBytes(bytes);
            if (random.Next(2) == 0 && bytes.Length >= 8)
            {
                "P2PSKEY1"u8.CopyTo(bytes);
            }

            WriteOwnerOnly(dir.Path, bytes);
            Assert.Throws<DeviceKeyException>(() => DeviceKeyStore.Load(dir.Path));
        }
    }

    [Fact]
    public void SigningUsesTheStoredKey()
    {
        using var dir = new TempDirectory();
        using var created = DeviceKeyStore.Create(dir.Path, overwrite: false);
        using var loaded = DeviceKeyStore.Load(dir.Path);
        var message = "hello"u8.ToArray();
        Assert.True(P2PSync.Node.Crypto.Sodium.Ed25519Verify(loaded.Sign(message), message, created.PublicKey));
    }

    private static string WriteOwnerOnly(string dataDir, byte[] bytes)
    {
        var path = DeviceKeyStore.PathIn(dataDir);
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
