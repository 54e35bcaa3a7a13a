namespace P2PSync.Node.Identity;

/// <summary>
/// The device key file is missing, unsafe or unreadable. The message says what is wrong and what
/// to do; the file is never modified when this is thrown.
/// </summary>
internal sealed class DeviceKeyException : Exception
{
    public DeviceKeyException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The key file concerned.</summary>
    public string Path { get; }
}
