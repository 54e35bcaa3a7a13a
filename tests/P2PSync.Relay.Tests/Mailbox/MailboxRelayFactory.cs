using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>
/// The relay on the in-memory TestServer for one mailbox test: its own data directory (or a
/// given one, to restart on the same files), a stepped clock, captured logs, and any
/// "Relay:..." settings the test needs.
/// </summary>
internal sealed class MailboxRelayFactory : WebApplicationFactory<Program>
{
    private readonly (string Key, string Value)[] _settings;
    private readonly bool _ownsDirectory;

    public MailboxRelayFactory(params (string Key, string Value)[] settings)
        : this(Path.Combine(Path.GetTempPath(), "p2psync-mailbox-" + Guid.NewGuid().ToString("N")), ownsDirectory: true, settings)
    {
    }

    public MailboxRelayFactory(string dataDirectory, bool ownsDirectory, params (string Key, string Value)[] settings)
    {
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        _settings = settings;
    }

    public string DataDirectory { get; }

    public SteppedClock Clock { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Extra service replacements, applied after the relay's own (set before first use).</summary>
    public Action<IServiceCollection>? Replace { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data", DataDirectory);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            Replace?.Invoke(services);
        });
    }

    /// <summary>
    /// Starts this relay on real Kestrel, bound to 127.0.0.1 on a free port (for tests that need
    /// real sockets: restart, TCP back-pressure). Clients then connect with <see cref="ConnectLoopbackAsync"/>.
    /// </summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        LoopbackUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/mailbox");
        return LoopbackUri;
    }

    public Uri? LoopbackUri { get; private set; }

    public async Task<MailboxTestClient> ConnectLoopbackAsync(DeviceKey? key = null)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(LoopbackUri!, CancellationToken.None);
        var client = new MailboxTestClient(socket);
        await client.AuthenticateAsync(key ?? DeviceKey.Create());
        return client;
    }

    /// <summary>A connected, not yet authenticated mailbox client (the Challenge is waiting).</summary>
    public async Task<MailboxTestClient> ConnectAsync()
    {
        var client = Server.CreateWebSocketClient();
        var socket = await client.ConnectAsync(new Uri(Server.BaseAddress, "mailbox"), CancellationToken.None);
        return new MailboxTestClient(socket);
    }

    /// <summary>A client that answered its challenge with a fresh device key.</summary>
    public async Task<MailboxTestClient> ConnectAuthenticatedAsync(DeviceKey? key = null)
    {
        var client = await ConnectAsync();
        await client.AuthenticateAsync(key ?? DeviceKey.Create());
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory && Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
