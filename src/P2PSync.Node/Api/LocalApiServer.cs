using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Api.YWebSocket;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Api;

/// <summary>
/// The node's local HTTP API on 127.0.0.1 only (it has no authentication: whoever can reach it
/// can edit every document, so it must never listen on a network interface).
/// </summary>
internal sealed class LocalApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly YRoomRegistry _rooms;

    private LocalApiServer(WebApplication app, YRoomRegistry rooms, Uri url)
    {
        _app = app;
        _rooms = rooms;
        Url = url;
    }

    /// <summary>Where the API listens, e.g. http://127.0.0.1:43123/.</summary>
    public Uri Url { get; }

    /// <summary>Starts Kestrel on 127.0.0.1:<paramref name="port"/> (0 = any free port).</summary>
    public static async Task<LocalApiServer> StartAsync(
        int port,
        DocumentHub hub,
        PeerBook peers,
        INodeStatus status,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        // Run request and websocket code on the socket's I/O thread instead of queueing it to the
        // thread pool: a keystroke then costs one thread wake-up per hop instead of two or three,
        // which is most of its latency on a loaded machine. Acceptable because no handler waits for
        // another socket: they may wait briefly for the hub's lock (in-memory work, plus a store
        // write when a document is created or renamed, or a load on first use), while update
        // commits, the slow part, run on the write-behind log's own task.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(
            sockets => sockets.UnsafePreferInlineScheduling = true);
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

        // The running node shares one awareness hub between its websocket rooms and its peers, so
        // cursors travel between devices; a server without a node (tests) keeps rooms to itself.
        var rooms = status is IHandoffStatus node ? new YRoomRegistry(hub, node.Awareness.Hub) : new YRoomRegistry(hub);
        var websocket = new YWebSocketEndpoint(hub, rooms, loggerFactory.CreateLogger("p2psync.websocket"));
        ApiEndpoints.Map(app, hub, peers, status);
        app.Map("/yjs/{docId}", (Microsoft.AspNetCore.Http.HttpContext context, string docId) => websocket.HandleAsync(context, docId));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalApiServer(app, rooms, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _rooms.Dispose();
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
