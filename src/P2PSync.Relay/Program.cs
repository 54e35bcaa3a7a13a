var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
app.Run();

/// <summary>The relay's entry point; public so the test host (WebApplicationFactory) can start it.</summary>
public partial class Program;
