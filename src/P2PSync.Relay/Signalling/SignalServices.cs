using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Signalling;

/// <summary>Registers what /signal needs: its options, the fan-out, and its per-IP connection limit.</summary>
internal static class SignalServices
{
    public static IServiceCollection AddSignalling(this IServiceCollection services, IConfiguration configuration)
    {
        // A limit of zero or less would refuse everything (or nothing); say so at startup, not per connection.
        services.AddOptions<SignalOptions>()
            .Bind(configuration.GetSection(SignalOptions.SectionName))
            .Validate(SignalOptionsCheck.IsValid, SignalOptionsCheck.Requirement)
            .ValidateOnStart();
        // Shared singletons; TryAdd so the order against the mailbox's registrations does not matter.
        services.TryAddSingleton<RelayMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISignalFanout, InProcessSignalFanout>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignalEndpoint.ConnectPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SignalOptions>>().Value;
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, options.ConnectsPerWindow),
                    Window = options.ConnectWindow,
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }
}
