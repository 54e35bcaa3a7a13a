using System.Text;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli;

/// <summary>
/// Where <c>device export</c>/<c>import</c> get the passphrase: <c>--passphrase-file</c>, else
/// <c>P2PSYNC_PASSPHRASE</c>, else a prompt without echo when stdin is a terminal. Never an argument:
/// command lines end up in shell history and process lists.
/// </summary>
internal static class PassphraseInput
{
    public const string EnvironmentVariable = "P2PSYNC_PASSPHRASE";

    /// <summary>Shortest passphrase an export accepts: the file can be attacked offline for as long as anyone likes.</summary>
    public const int MinExportLength = 8;

    /// <param name="confirm">Ask twice at the prompt (export: a typo would lock the user out of their own backup).</param>
    /// <exception cref="CommandFailedException">No source, an unreadable or empty file, a mismatch, too short for an export (exit code 2).</exception>
    public static string Read(string? file, NodeEnvironment environment, bool confirm)
    {
        var passphrase = file is not null ? FromFile(file)
            : environment.Get(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : FromTerminal(confirm);
        if (passphrase.Length == 0)
        {
            throw new CommandFailedException(ExitCodes.BadInput, "the passphrase is empty");
        }

        if (confirm && passphrase.Length < MinExportLength)
        {
            throw new CommandFailedException(ExitCodes.BadInput, $"the passphrase must have at least {MinExportLength} characters: the backup holds this device's identity and can be attacked offline");
        }

        return passphrase;
    }

    private static string FromFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CommandFailedException.BadInput(file, $"cannot read the passphrase file: {ex.Message}", ex);
        }

        // `echo secret > file` adds a line break the user did not type as part of the passphrase.
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }

    private static string FromTerminal(bool confirm)
    {
        if (Console.IsInputRedirected)
        {
            throw new CommandFailedException(
                ExitCodes.BadInput,
                $"no passphrase: give --passphrase-file PATH or set {EnvironmentVariable} (stdin is not a terminal, so p2psync cannot ask)");
        }

        var first = Prompt("passphrase: ");
        if (confirm && Prompt("again: ") != first)
        {
            throw new CommandFailedException(ExitCodes.BadInput, "the two passphrases differ; nothing was written");
        }

        return first;
    }

    // Reads keys without echoing them; the prompt goes to stderr so stdout stays the verb's output.
    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
