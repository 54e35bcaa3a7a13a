using System.Diagnostics;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>A continuous <c>avahi-browse -rpk TYPE</c> whose events a test can wait for (appearance, resolution, removal).</summary>
internal sealed class AvahiBrowseSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessLog _log;

    public AvahiBrowseSession(Process process)
    {
        _process = process;
        _log = ProcessLog.Attach(process);
    }

    public string Log => _log.Text;

    /// <summary>Waits for the first event (also one already printed) that satisfies <paramref name="match"/>.</summary>
    public async Task<AvahiBrowseEvent> WaitForAsync(Func<AvahiBrowseEvent, bool> match, TimeSpan within, string what)
    {
        var line = await _log.WaitForLineAsync(_process, l => TryParse(l) is { } e && match(e), within, what);
        return AvahiBrowseParser.ParseLine(line.TrimEnd('\r'));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // Lines that are not events (avahi's complaints on stderr share the log) are not matches.
    private static AvahiBrowseEvent? TryParse(string line)
    {
        try
        {
            return AvahiBrowseParser.ParseLine(line.TrimEnd('\r'));
        }
        catch (AvahiOutputFormatException)
        {
            return null;
        }
    }
}
