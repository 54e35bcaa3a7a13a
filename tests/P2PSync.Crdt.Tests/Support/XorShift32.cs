namespace P2PSync.Crdt.Tests.Support;

/// <summary>
/// The xorshift32 generator the oracle scripts under tests/oracle use to drive yjs. It is spelled
/// out here (rather than System.Random) because the C# and JS runs must draw the identical
/// operation stream for their recorded hashes to be comparable.
/// </summary>
internal sealed class XorShift32(uint seed)
{
    private uint _state = seed;

    /// <summary>The next value in [0, <paramref name="n"/>), reduced exactly as the JS script does.</summary>
    public int Next(int n)
    {
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return (int)(_state % (uint)n);
    }
}
