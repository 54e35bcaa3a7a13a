using P2PSync.Crdt;
using P2PSync.Crdt.Core;

namespace P2PSync.Node.Storage;

/// <summary>Checks on Yjs v1 update bytes before they are stored and after they are read back.</summary>
internal static class UpdateBlobs
{
    /// <summary>Largest update accepted in one append; matches the transport's largest message.</summary>
    public const int MaxUpdateBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Why <paramref name="update"/> is not a usable v1 update, or null if it is. It must pass
    /// both consumers of stored updates: Y.ApplyUpdate (loading) checks structure that a bare
    /// decode lets through, such as an item whose origin is a later clock of its own client, and
    /// Y.MergeUpdates (compaction) has to decode it alongside others. Applying into a throwaway
    /// Doc runs only ApplyUpdate's validating first phase for structs whose dependencies are
    /// missing (they wait as pending), so this costs about one decode of the update.
    /// </summary>
    public static UpdateFormatException? Check(byte[] update)
    {
        try
        {
            Y.ApplyUpdate(new Doc(), update);

            // A single update is returned by MergeUpdates unread; merging it with the smallest
            // valid v1 update ([0, 0]: no structs, an empty delete set) forces a full decode.
            Y.MergeUpdates([update, [0, 0]]);
            return null;
        }
        catch (UpdateFormatException ex)
        {
            return ex;
        }
    }

    /// <summary>Throws <see cref="InvalidStoreInputException"/> unless <paramref name="update"/> is a storable v1 update.</summary>
    public static void Validate(byte[]? update)
    {
        const string field = "update";
        ValidateSize(update);
        if (Check(update!) is { } error)
        {
            throw new InvalidStoreInputException(field, $"it is not a Yjs v1 update: {error.Message}", error);
        }
    }

    /// <summary>Throws <see cref="InvalidStoreInputException"/> if <paramref name="update"/> is missing, empty or too large (its content is not looked at).</summary>
    public static void ValidateSize(byte[]? update)
    {
        const string field = "update";
        if (update is null || update.Length == 0)
        {
            throw new InvalidStoreInputException(field, "it is empty (the smallest Yjs v1 update is 2 bytes)");
        }

        if (update.Length > MaxUpdateBytes)
        {
            throw new InvalidStoreInputException(field, $"it is {update.Length} bytes; at most {MaxUpdateBytes} are stored in one append");
        }
    }

    /// <summary>Throws <see cref="InvalidStoreInputException"/> unless <paramref name="origin"/> is null or a short printable label.</summary>
    public static string? ValidateOrigin(string? origin)
    {
        const int maxLength = 128;
        if (origin is null)
        {
            return null;
        }

        if (origin.Length > maxLength)
        {
            throw new InvalidStoreInputException("update origin", $"it is {origin.Length} characters long; at most {maxLength} are allowed");
        }

        foreach (var c in origin)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                throw new InvalidStoreInputException("update origin", $"character {DocumentIds.Describe(c)} is not allowed");
            }
        }

        return origin;
    }
}
