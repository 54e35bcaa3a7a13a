using System.Runtime.CompilerServices;
using System.Text;

namespace P2PSync.Node.Cli.Client;

/// <summary>
/// Parses a text/event-stream (WHATWG HTML "server-sent events"): <c>field: value</c> lines, one
/// optional space after the colon, <c>:</c> comments, several data lines joined by newlines, a
/// blank line dispatches. Lenient as the standard asks (unknown fields are ignored), but bounded:
/// an event larger than <see cref="MaxEventChars"/> is a <see cref="FormatException"/> rather than
/// unbounded memory.
/// </summary>
internal static class ServerSentEventReader
{
    public const int MaxEventChars = 1024 * 1024;

    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? id = null;
        string? name = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new ServerSentEvent(id, name ?? "message", data.ToString());
                }

                name = null;
                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    if (data.Length > MaxEventChars)
                    {
                        throw new FormatException($"a server-sent event is larger than {MaxEventChars} characters");
                    }

                    break;
                case "id":
                    // The standard ignores ids containing NUL.
                    if (!value.Contains('\0', StringComparison.Ordinal))
                    {
                        id = value;
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
