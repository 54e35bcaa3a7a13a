using System.Security.Cryptography;

namespace P2PSync.Node.Storage;

/// <summary>
/// Document ids: how new ones are made and which strings are accepted (from the CLI, the API
/// and from peers announcing their documents).
/// </summary>
internal static class DocumentIds
{
    /// <summary>Longest accepted id; generated ids are 32 characters.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// A new id: 128 random bits as 32 lowercase hex digits. 128 bits make a collision between
    /// two devices that create documents offline negligible, and hex survives URLs, shells and
    /// file names without quoting.
    /// </summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// Throws <see cref="InvalidStoreInputException"/> unless <paramref name="id"/> is 1 to
    /// <see cref="MaxLength"/> characters of RFC 3986 "unreserved" ASCII (letters, digits,
    /// '-', '.', '_', '~'). Ids end up in URL paths (/api/docs/{id}, /yjs/{id}) and in command
    /// lines, so anything that would need escaping there is refused rather than escaped.
    /// </summary>
    public static string Validate(string? id)
    {
        const string field = "document id";
        if (string.IsNullOrEmpty(id))
        {
            throw new InvalidStoreInputException(field, "it is empty");
        }

        if (id.Length > MaxLength)
        {
            throw new InvalidStoreInputException(field, $"it is {id.Length} characters long; at most {MaxLength} are allowed");
        }

        for (var i = 0; i < id.Length; i++)
        {
            if (!IsUnreserved(id[i]))
            {
                throw new InvalidStoreInputException(
                    field,
                    $"character {Describe(id[i])} at position {i + 1} is not allowed; use letters, digits, '-', '.', '_' or '~'");
            }
        }

        if (id is "." or "..")
        {
            throw new InvalidStoreInputException(field, $"'{id}' would be read as a path segment");
        }

        return id;
    }

    /// <summary>Whether <see cref="Validate"/> would accept <paramref name="id"/>, without throwing.</summary>
    public static bool IsWellFormed(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id is not ("." or "..") && id.All(IsUnreserved);

    private static bool IsUnreserved(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    /// <summary>A character as a person can read it in an error message, even if it is invisible.</summary>
    internal static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c > '\u007e'
            ? $"U+{(int)c:X4}"
            : $"'{c}'";
}
