namespace P2PSync.Node.Api;

/// <summary>A handoff command names a device that is not trusted (answered 403).</summary>
internal sealed class UntrustedDeviceException : Exception
{
    public UntrustedDeviceException(string message)
        : base(message)
    {
    }
}
