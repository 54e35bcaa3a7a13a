namespace P2PSync.Node.Cli;

/// <summary>
/// An expected failure of a verb: the message is printed as one line, without a stack trace,
/// and the process exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(int exitCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    /// <summary>An input file could not be used; names the file first so the user knows which one.</summary>
    public static CommandFailedException BadInput(string file, string problem, Exception? inner = null) =>
        new(ExitCodes.BadInput, $"{file}: {problem}", inner);
}
