using System.Diagnostics;
using System.Globalization;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>A running <c>avahi-publish -s</c>; stopping it (SIGTERM) makes avahi withdraw the service with goodbyes.</summary>
internal sealed class AvahiPublication : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessLog _log;

    public AvahiPublication(Process process, ProcessLog log)
    {
        _process = process;
        _log = log;
    }

    public string Log => _log.Text;

    /// <summary>SIGTERM (the way a user stops it), then waits for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        await CommandRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
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
}
