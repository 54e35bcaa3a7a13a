namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// An external tool the mDNS harness drives failed or did not finish in time. One type for all of
/// them so a broken harness reads as such in a test failure, never as a bare timeout.
/// </summary>
internal sealed class ExternalCommandException : Exception
{
    public ExternalCommandException(string message)
        : base(message)
    {
    }

    public ExternalCommandException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
