namespace P2PSync.Crdt.Tests.Support;

/// <summary>
/// 32-bit FNV-1a over UTF-16 code units, the hash the oracle scripts print so that long logs
/// and states can be recorded as two numbers instead of pasted in full.
/// </summary>
internal static class Fnv1a
{
    public static uint Hash(string s)
    {
        uint h = 0x811c9dc5;
        foreach (char c in s)
        {
            h ^= c;
            h *= 0x01000193;
        }
        return h;
    }

    /// <summary>Length and hash together: what the oracle scripts record for each text they compare.</summary>
    public static (int Length, uint Hash) Fingerprint(string s) => (s.Length, Hash(s));
}
