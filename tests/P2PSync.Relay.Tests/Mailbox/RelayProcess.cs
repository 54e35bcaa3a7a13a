using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.RegularExpressions;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>
/// The relay as its own process, started the way the issue says
/// (`P2PSync.Relay --urls http://127.0.0.1:0 --data DIR`), from the build output next to the tests.
/// Port 0: the relay picks a free port and prints it ("Now listening on: ...").
/// </summary>
internal sealed partial class RelayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RelayProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<RelayProcess> StartAsync(string dataDirectory, params (string Name, string Value)[] environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "P2PSync.Relay.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[] { dll, "--urls", "http://127.0.0.1:0", "--data", dataDirectory }) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && ListeningLine().Match(line.Data) is { Success: true } match)
                listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        if (ready != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the relay did not report its address within 30 s");
        }
        return new RelayProcess(process, await listening.Task);
    }

    public async Task<MailboxTestClient> ConnectAsync(DeviceKey key)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(BaseUri.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "mailbox"), CancellationToken.None);
        var client = new MailboxTestClient(socket);
        await client.AuthenticateAsync(key);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, so only what was durable survives.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await CrashAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
