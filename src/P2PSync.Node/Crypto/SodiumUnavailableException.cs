namespace P2PSync.Node.Crypto;

/// <summary>libsodium could not be loaded or initialised; nothing that needs keys can run.</summary>
internal sealed class SodiumUnavailableException : Exception
{
    public const string DefaultMessage = "libsodium (Debian package libsodium23) is not installed or could not be loaded; install it with 'apt-get install libsodium23'.";

    public SodiumUnavailableException(Exception? inner = null)
        : base(DefaultMessage, inner)
    {
    }

    public SodiumUnavailableException(string detail, Exception? inner = null)
        : base($"{DefaultMessage} ({detail})", inner)
    {
    }
}
