using P2PSync.Node.Crypto;

namespace P2PSync.Node.Tests.Crypto;

/// <summary>Asserts that an open/decrypt is refused with the project's typed error and nothing else, naming the case that slipped through.</summary>
internal static class DecryptionRefusal
{
    public static void Expect(string caseName, Action open)
    {
        try
        {
            open();
        }
        catch (DecryptionFailedException)
        {
            return;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{caseName}: expected DecryptionFailedException, got {ex.GetType().Name}: {ex.Message}");
        }

        Assert.Fail($"{caseName}: altered input was accepted");
    }
}
