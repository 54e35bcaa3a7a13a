namespace P2PSync.Node.Cli;

/// <summary>Process exit codes of the <c>p2psync</c> CLI.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command failed for a reason other than its input files (e.g. an unusable store).</summary>
    public const int Failure = 1;

    /// <summary>An input file was malformed (bad update bytes, bad trace JSON, wrong content).</summary>
    public const int BadInput = 2;
}
