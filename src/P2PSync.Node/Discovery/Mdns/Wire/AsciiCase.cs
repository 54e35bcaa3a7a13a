namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// DNS compares names ignoring ASCII case only (RFC 6762 §16): "É" and "é" are different
/// labels, "A" and "a" are not. string.Equals(OrdinalIgnoreCase) would fold non-ASCII letters
/// too, so names that other responders treat as distinct would collide here.
/// </summary>
internal static class AsciiCase
{
    public static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;

    public static bool EqualsIgnoreCase(string a, string b)
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (Fold(a[i]) != Fold(b[i]))
                return false;
        }
        return true;
    }

    public static void AddFolded(ref HashCode hash, string s)
    {
        hash.Add(s.Length);
        foreach (var c in s)
            hash.Add(Fold(c));
    }
}
