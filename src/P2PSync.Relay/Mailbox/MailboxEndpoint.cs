using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using P2PSync.Relay.Metrics;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Mailbox;

/// <summary>Registers the mailbox's services and maps /mailbox (Program.cs calls these two methods).</summary>
internal static class MailboxEndpoint
{
    public const string Path = "/mailbox";

    public static IServiceCollection AddRelayMailbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RelayOptions>()
            .Bind(configuration.GetSection(RelayOptions.SectionName))
            .PostConfigure(options =>
            {
                // The short flag from the issue: --data DIR.
                if (configuration["data"] is { Length: > 0 } data) options.DataDirectory = data;
            });
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<RelayOptions>>().Value);
        services.AddOptions<MailboxOptions>()
            .Bind(configuration.GetSection(MailboxOptions.SectionName))
            .Validate(MailboxOptions.IsValid, MailboxOptions.Requirement)
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<MailboxOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RelayMetrics>();
        services.AddSingleton<SqliteMailboxStore>(provider =>
            new SqliteMailboxStore(provider.GetRequiredService<RelayOptions>().DataDirectory));
        services.AddSingleton<IMailboxStore>(provider => provider.GetRequiredService<SqliteMailboxStore>());
        services.AddSingleton<IMailboxFanout, InProcessMailboxFanout>();
        services.AddSingleton<NonceLedger>();
        services.AddSingleton<DeviceRateLimiter>();
        services.AddSingleton<MailboxDependencies>();
        services.AddSingleton<ExpirySweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpirySweeper>());
        services.AddRateLimiter(limiter => limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        services.AddSingleton<MailboxConnectRateLimitPolicy>();
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<MailboxConnectRateLimitPolicy>((limiter, policy) => limiter.AddPolicy(MailboxConnectRateLimitPolicy.Name, policy));
        return services;
    }

    public static IEndpointRouteBuilder MapRelayMailbox(this IEndpointRouteBuilder routes)
    {
        var services = routes.ServiceProvider;
        var store = services.GetRequiredService<IMailboxStore>();
        var metrics = services.GetRequiredService<RelayMetrics>();
        metrics.RegisterSampledGauge(MailboxMetricNames.Topics, MailboxMetricNames.TopicsHelp, store.CountTopics);
        metrics.RegisterSampledGauge(MailboxMetricNames.EnvelopesStored, MailboxMetricNames.EnvelopesStoredHelp, store.CountEnvelopes);
        // Present from the start at zero, so a scrape never sees a series appear out of nowhere.
        metrics.Gauge(MailboxMetricNames.Connections, MailboxMetricNames.ConnectionsHelp, 0);
        metrics.Count(MailboxMetricNames.BytesIn, MailboxMetricNames.BytesInHelp, 0);
        metrics.Count(MailboxMetricNames.BytesOut, MailboxMetricNames.BytesOutHelp, 0);
        metrics.Count(MailboxMetricNames.Posts, MailboxMetricNames.PostsHelp, 0);
        metrics.Count(MailboxMetricNames.Deleted, MailboxMetricNames.DeletedHelp, 0);
        metrics.Count(MailboxMetricNames.ReadersForgotten, MailboxMetricNames.ReadersForgottenHelp, 0);

        routes.Map(Path, async (HttpContext context, MailboxDependencies deps, IHostApplicationLifetime lifetime) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                deps.Metrics.CountReject(MailboxMetricNames.Source, "not_websocket");
                return Results.BadRequest(new { error = "the mailbox speaks WebSocket (binary protobuf MailboxFrame)" });
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await new MailboxConnection(socket, deps).RunAsync(lifetime.ApplicationStopping);
            return Results.Empty;
        }).RequireRateLimiting(MailboxConnectRateLimitPolicy.Name);
        return routes;
    }
}
