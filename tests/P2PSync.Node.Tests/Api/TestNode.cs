using Microsoft.Extensions.Logging;
using P2PSync.Node.Hosting;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Api;

/// <summary>A real node running in-process on loopback (API on, TCP optional), deleted on dispose.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly ILoggerFactory _loggers;

    private TestNode(TempDirectory dir, NodeHost host, ILoggerFactory loggers, StringWriter log)
    {
        _dir = dir;
        Host = host;
        _loggers = loggers;
        Log = log;
        Http = new HttpClient { BaseAddress = host.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public NodeHost Host { get; }

    public HttpClient Http { get; }

    public StringWriter Log { get; }

    public string DataDirectory => _dir.Path;

    public Uri WebSocketUrl(string docId) =>
        new($"ws://127.0.0.1:{Host.ApiUrl!.Port}/yjs/{docId}");

    public static async Task<TestNode> StartAsync(bool listen = false, int seed = 1)
    {
        var dir = new TempDirectory();
        var log = new StringWriter();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new TextWriterLoggerProvider(TextWriter.Synchronized(log), TimeProvider.System, LogLevel.Debug)));
        var options = new NodeOptions { DataDirectory = dir.Path, ApiPort = 0, ListenPort = listen ? 0 : null, DeviceName = "test" };
        var host = await NodeHost.StartAsync(options, TimeProvider.System, new Random(seed), loggers, CancellationToken.None);
        return new TestNode(dir, host, loggers, log);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        _loggers.Dispose();
        _dir.Dispose();
    }
}
