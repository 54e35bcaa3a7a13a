namespace P2PSync.Node.Storage;

/// <summary>
/// Checks for the byte strings the store keeps as BLOBs (ids, keys, records). A wrong length is
/// refused before anything is written: a 15-byte "space id" stored once would be a row no
/// lookup could ever find again.
/// </summary>
internal static class StoreBlobs
{
    /// <summary>Length of a space id (<c>SpaceId.Length</c>).</summary>
    public const int SpaceIdLength = 16;

    /// <summary>Length of an author key (an Ed25519 public key, <c>DeviceId.KeyLength</c>).</summary>
    public const int AuthorKeyLength = 32;

    /// <summary>Length of an invite id (<c>InviteSecrets</c>: BLAKE2b with 16 bytes of output).</summary>
    public const int InviteIdLength = 16;

    /// <summary>
    /// Upper bound for vault-protected secrets and membership entries. Real ones are under 200
    /// bytes; the bound only keeps a confused caller from storing megabytes as a "key".
    /// </summary>
    public const int MaxSmallBlobBytes = 4096;

    /// <summary>Throws unless <paramref name="value"/> is exactly <paramref name="length"/> bytes.</summary>
    public static byte[] RequireLength(byte[]? value, int length, string field)
    {
        if (value is null)
        {
            throw new InvalidStoreInputException(field, "it is missing");
        }

        if (value.Length != length)
        {
            throw new InvalidStoreInputException(field, $"it is {value.Length} bytes; it must be exactly {length}");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> has 1..<paramref name="maxLength"/> bytes.</summary>
    public static byte[] RequireBlob(byte[]? value, int maxLength, string field)
    {
        if (value is null || value.Length == 0)
        {
            throw new InvalidStoreInputException(field, "it is empty");
        }

        if (value.Length > maxLength)
        {
            throw new InvalidStoreInputException(field, $"it is {value.Length} bytes; at most {maxLength} are allowed");
        }

        return value;
    }

    /// <summary>Throws unless <paramref name="ms"/> is a Unix time in milliseconds (not negative).</summary>
    public static long RequireTime(long ms, string field)
    {
        if (ms < 0)
        {
            throw new InvalidStoreInputException(field, $"it is negative ({ms})");
        }

        return ms;
    }

    /// <summary>Content equality for optional byte arrays (records compare arrays by reference).</summary>
    public static bool SameBytes(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>A hash of the content, matching <see cref="SameBytes"/>.</summary>
    public static int HashOf(byte[]? bytes)
    {
        var hash = new HashCode();
        if (bytes is not null)
        {
            hash.AddBytes(bytes);
        }

        return hash.ToHashCode();
    }
}
