using System.Text;

namespace P2PSync.Crdt.Tests.Support;

/// <summary>
/// Runs decoders on hostile input. The only exception allowed to escape is
/// <see cref="UpdateFormatException"/>, and it must come from a deliberate check rather than
/// from a last-resort guard that wraps an unexpected exception (which would hide a bug).
/// Counting the rejections lets a fuzz test prove its input really reached the error paths.
/// </summary>
internal sealed class FormatErrorTally
{
    public int Attempts { get; private set; }

    public int Rejections { get; private set; }

    /// <summary>Runs <paramref name="action"/>; fails the test on any exception but a deliberate format error.</summary>
    public void Run(Action action, string what)
    {
        Attempts++;
        try
        {
            action();
        }
        catch (UpdateFormatException e) when (e.InnerException is null or DecoderFallbackException)
        {
            Rejections++;
        }
        catch (UpdateFormatException e)
        {
            Assert.Fail($"{what}: unexpected {e.InnerException!.GetType().Name} wrapped by the guard: {e.InnerException}");
        }
    }

    /// <summary>Fails if every input was accepted: then the corruption never hit a check and proved nothing.</summary>
    public void AssertSomeRejected()
    {
        Assert.True(Rejections > 0, $"none of {Attempts} corrupted inputs was rejected");
    }
}
