namespace P2PSync.Node.Transport.InMemory;

/// <summary>Dialling failed: nobody listens as that device, or a partition separates the two.</summary>
internal sealed class InMemoryConnectException : IOException
{
    public InMemoryConnectException(string message) : base(message) { }
}
