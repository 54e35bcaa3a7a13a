using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>
/// The relay on the in-memory TestServer with /signal settings for one test
/// (e.g. ("Signal:MaxMessageBytes", "1024")) and its own temporary data directory.
/// </summary>
internal sealed class SignalRelayFactory : WebApplicationFactory<Program>
{
    private readonly (string Key, string Value)[] _settings;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "p2psync-signal-" + Guid.NewGuid().ToString("N"));

    public SignalRelayFactory(params (string Key, string Value)[] settings) => _settings = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Relay:DataDirectory", _dataDirectory);
        builder.UseSetting("data", _dataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
