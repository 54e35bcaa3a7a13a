using System.Globalization;
using System.Text.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Cli.Client;

namespace P2PSync.Node.Cli;

/// <summary>
/// Follows one handoff on the node's event stream until it ends, printing a line per step.
/// ready and handed-off succeed; declined, expired and failed are a <see cref="CommandFailedException"/>
/// carrying the reason, as is a stream that ends first (the node stopped).
/// </summary>
internal static class HandoffWaiter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> FollowAsync(HandoffEventSource events, string handoffId, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            return await FollowOrThrowAsync(events, handoffId, output, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or FormatException)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"lost the node's event stream while following handoff {handoffId} ({ex.Message}); see `p2psync handoff list`", ex);
        }
    }

    private static async Task<int> FollowOrThrowAsync(HandoffEventSource events, string handoffId, TextWriter output, CancellationToken cancellationToken)
    {
        await foreach (var e in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (e.Event == "overflow")
            {
                throw new CommandFailedException(ExitCodes.Failure, $"lost track of handoff {handoffId}: the node dropped this event stream ({e.Data}); see `p2psync handoff list`");
            }

            var view = Parse(e);
            if (view is null || view.Id != handoffId)
            {
                continue;
            }

            if (Describe(e.Event, view) is { } line)
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            switch (e.Event)
            {
                case "ready":
                case "handed-off":
                    return ExitCodes.Ok;
                case "declined":
                case "expired":
                case "failed":
                    throw new CommandFailedException(ExitCodes.Failure, $"handoff {handoffId} {e.Event}: {view.Reason ?? "no reason given"}");
                default:
                    break;
            }
        }

        throw new CommandFailedException(ExitCodes.Failure, $"the node closed the event stream before handoff {handoffId} finished (did it stop?); see `p2psync handoff list`");
    }

    /// <summary>The progress line for an event, or null for kinds not worth a line.</summary>
    public static string? Describe(string kind, HandoffEventView e) => kind switch
    {
        "requested" => $"requested from {e.Peer}",
        "offered" => $"offered by {e.Peer}",
        "transferring" => $"transferring {Bytes(e.BytesTotal)}",
        "progress" => string.Create(CultureInfo.InvariantCulture, $"progress {e.BytesDone}/{e.BytesTotal} bytes ({Percent(e)}%)"),
        "ready" => $"ready: resumed the activity of {e.Peer}",
        "handed-off" => $"handed off to {e.Peer}",
        _ => null,
    };

    private static HandoffEventView? Parse(ServerSentEvent e)
    {
        try
        {
            return JsonSerializer.Deserialize<HandoffEventView>(e.Data, Json);
        }
        catch (JsonException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"the node sent a malformed {e.Event} event: {ex.Message}", ex);
        }
    }

    private static long Percent(HandoffEventView e) => e.BytesTotal <= 0 ? 100 : Math.Clamp(e.BytesDone * 100 / e.BytesTotal, 0, 100);

    private static string Bytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
