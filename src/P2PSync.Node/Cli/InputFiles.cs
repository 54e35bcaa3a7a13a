using P2PSync.Crdt;
using P2PSync.Node.CrdtTools;

namespace P2PSync.Node.Cli;

/// <summary>
/// Runs a step that reads one input file and turns every way that file can be bad (unreadable,
/// malformed update, malformed trace) into a one-line <see cref="CommandFailedException"/>
/// naming the file, with exit code 2. The step must only read that file.
/// </summary>
internal static class InputFiles
{
    public static T Read<T>(string path, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (UpdateFormatException ex)
        {
            throw CommandFailedException.BadInput(path, $"malformed update: {ex.Message}", ex);
        }
        catch (TraceFormatException ex)
        {
            throw CommandFailedException.BadInput(path, $"malformed trace: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CommandFailedException.BadInput(path, $"cannot read: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException or CommandFailedException))
        {
            // The decoders promise to throw only UpdateFormatException; if one breaks that promise
            // the user still gets a one-line answer, and the exception type points at the bug.
            throw CommandFailedException.BadInput(path, $"malformed input ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }
}
