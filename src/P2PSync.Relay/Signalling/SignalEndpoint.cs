using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Signalling;

/// <summary>GET /signal: the WebSocket endpoint that speaks y-webrtc's signalling protocol.</summary>
internal static class SignalEndpoint
{
    /// <summary>Name of the per-IP connection rate limit policy (ASP.NET Core rate limiter, 429).</summary>
    public const string ConnectPolicy = "signal-connect";

    public static IEndpointRouteBuilder MapSignalling(this IEndpointRouteBuilder routes)
    {
        routes.Map("/signal", ServeAsync).RequireRateLimiting(ConnectPolicy);
        return routes;
    }

    private static async Task ServeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("/signal expects a WebSocket upgrade", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<SignalOptions>>().Value;
        var accept = new WebSocketAcceptContext
        {
            // Protocol-level pings catch half-open TCP connections that would otherwise sit until the idle timeout.
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveInterval,
        };
        using var socket = await context.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
        var connection = new SignalConnection(
            socket,
            services.GetRequiredService<ISignalFanout>(),
            options,
            services.GetRequiredService<RelayMetrics>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<SignalConnection>());
        await connection.RunAsync(services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping).ConfigureAwait(false);
    }
}
