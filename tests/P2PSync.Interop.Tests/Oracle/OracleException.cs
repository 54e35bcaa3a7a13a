namespace P2PSync.Interop.Tests.Oracle;

/// <summary>The oracle process ran a command and yjs threw.</summary>
public sealed class OracleException : Exception
{
    public OracleException(string command, string error)
        : base($"yjs oracle failed on '{command}': {error}")
    {
    }
}
