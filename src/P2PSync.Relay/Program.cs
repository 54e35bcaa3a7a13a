using P2PSync.Relay.Mailbox;
using P2PSync.Relay.Metrics;
using P2PSync.Relay.Signalling;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSignalling(builder.Configuration);
builder.Services.AddRelayMailbox(builder.Configuration);
var app = builder.Build();
app.UseWebSockets();
app.UseRateLimiter();
app.MapSignalling();
app.MapRelayMailbox();
app.MapRelayMetrics();
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
app.Run();

/// <summary>The relay's entry point; public so the test host (WebApplicationFactory) can start it.</summary>
public partial class Program;
