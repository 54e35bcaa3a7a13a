namespace P2PSync.Node.Crypto;

/// <summary>
/// Length and aliasing checks shared by the libsodium wrappers, so a wrong buffer is an
/// <see cref="ArgumentException"/> in C# rather than an out-of-bounds read or write in C.
/// </summary>
internal static class SodiumBuffers
{
    public static void RequireLength(ReadOnlySpan<byte> buffer, int expected, string name)
    {
        if (buffer.Length != expected)
        {
            throw new ArgumentException($"{name} must be {expected} bytes, not {buffer.Length}.", name);
        }
    }

    // libsodium writes the output while still reading the input; a partial overlap would
    // corrupt the input it has not read yet, so outputs must be separate buffers.
    public static void RequireSeparate(ReadOnlySpan<byte> input, ReadOnlySpan<byte> output, string outputName)
    {
        if (input.Overlaps(output))
        {
            throw new ArgumentException($"{outputName} must not overlap the input.", outputName);
        }
    }
}
