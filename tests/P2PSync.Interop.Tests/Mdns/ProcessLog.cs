using System.Diagnostics;
using System.Text;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Collects what a long-running helper process prints on both streams (for failure messages)
/// and lets a caller wait, within a deadline, for a line that says it is ready.
/// </summary>
internal sealed class ProcessLog
{
    private readonly StringBuilder _text = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ProcessLog()
    {
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Starts reading both redirected streams of <paramref name="process"/>.</summary>
    public static ProcessLog Attach(Process process)
    {
        var log = new ProcessLog();
        process.OutputDataReceived += (_, e) => log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return log;
    }

    /// <summary>Waits for a line that satisfies <paramref name="match"/> (also one printed before the call); throws with the log when the process exits or the deadline passes first.</summary>
    public async Task<string> WaitForLineAsync(Process process, Func<string, bool> match, TimeSpan within, string what)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_text)
        {
            var earlier = _text.ToString().Split('\n').FirstOrDefault(l => match(l.TrimEnd('\r')));
            if (earlier is not null)
            {
                return earlier;
            }

            _waiters.Add((match, seen));
        }

        var exited = process.WaitForExitAsync();
        var finished = await Task.WhenAny(seen.Task, exited, Task.Delay(within));
        if (finished == seen.Task)
        {
            return await seen.Task;
        }

        var why = finished == exited ? $"exited with {process.ExitCode}" : $"did not within {within.TotalSeconds} s";
        throw new ExternalCommandException($"waiting for {what}: the process {why}\n--- log ---\n{Text}");
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> done = [];
        lock (_text)
        {
            _text.AppendLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    done.Add(_waiters[i].Seen);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(line);
        }
    }
}
