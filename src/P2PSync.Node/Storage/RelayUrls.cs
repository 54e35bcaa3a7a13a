namespace P2PSync.Node.Storage;

/// <summary>
/// What a relay URL may be, and its one stored spelling: an absolute http(s):// or ws(s):// URL
/// with a host, no user name or password (a relay authenticates devices by their keys, and a
/// secret in the store would be copied into every backup), no query or fragment; lower-case scheme
/// and host, the default port left out, no trailing slash.
/// </summary>
internal static class RelayUrls
{
    /// <summary>Longest URL kept: far beyond any real host and path, short enough for one line of `relay list`.</summary>
    public const int MaxLength = 2048;

    /// <summary>The normalised URL of <paramref name="text"/> (a string: <see cref="Uri.ToString"/> would add a trailing slash back).</summary>
    /// <exception cref="InvalidStoreInputException">Not a usable relay URL; the message says why.</exception>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Bad("it is empty");
        }

        if (text.Length > MaxLength)
        {
            throw Bad($"it is longer than {MaxLength} characters");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.IsFile || url.IsUnc)
        {
            throw Bad($"\"{Shorten(text)}\" is not an absolute URL such as http://relay.example:8787");
        }

        if (url.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw Bad($"the scheme is {url.Scheme}://; a relay is reached over http(s):// or ws(s)://");
        }

        if (url.Host.Length == 0)
        {
            throw Bad("it names no host");
        }

        if (url.UserInfo.Length > 0)
        {
            throw Bad("it carries a user name or password; a relay needs none (devices sign in with their keys)");
        }

        if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            throw Bad("it has a query or fragment; give the relay's base URL only");
        }

        var path = url.AbsolutePath.TrimEnd('/');
        var port = url.IsDefaultPort ? "" : $":{url.Port}";
        return $"{url.Scheme}://{url.Host}{port}{path}";
    }

    private static InvalidStoreInputException Bad(string reason) => new("relay URL", reason);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
