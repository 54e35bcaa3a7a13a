using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Api;

/// <summary>
/// GET /api/handoff/events: the handoff events as server-sent events (text/event-stream). Each
/// event is <c>id: SEQ</c>, <c>event: KIND</c>, <c>data: {"id","peer","bytesDone","bytesTotal","reason"}</c>
/// and a blank line. A client that reconnects with Last-Event-ID (or <c>?after=SEQ</c>) first gets
/// the remembered events after that seq. A comment line is sent every <see cref="KeepAlive"/>
/// while nothing happens, so a vanished client is noticed and idle proxies keep the stream open.
/// </summary>
internal static class HandoffEventStream
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>One event in the wire format, ending with the blank line that dispatches it.</summary>
    public static string Format(HandoffFeedItem item)
    {
        var e = item.Event;
        var data = JsonSerializer.Serialize(new HandoffEventView(e.HandoffId, e.Peer.ToString(), e.BytesDone, e.BytesTotal, e.Reason), Json);
        // JSON from the serializer has no raw newlines, so one data line carries it whole.
        return string.Create(CultureInfo.InvariantCulture, $"id: {item.Seq}\nevent: {e.Kind}\ndata: {data}\n\n");
    }

    /// <summary>Where to resume: Last-Event-ID header or the after query parameter; null = only new events.</summary>
    /// <exception cref="FormatException">Not a non-negative integer.</exception>
    public static long? ResumeAfter(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["after"].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? seq
            : throw new FormatException($"Last-Event-ID / after must be an event id (a non-negative integer), not '{text}'");
    }

    /// <summary>Streams until the client goes away, the node stops, or the subscriber falls behind.</summary>
    public static async Task ServeAsync(HttpContext context, HandoffEventFeed feed, TimeProvider time)
    {
        long? after;
        try
        {
            after = ResumeAfter(context.Request);
        }
        catch (FormatException ex)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new ErrorView(ex.Message), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var cancellationToken = context.RequestAborted;
        using var subscription = feed.Subscribe(after);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // One keep-alive timer and one pending read at a time (not one per event); the timer is
        // cancelled when the stream ends.
        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // Send the headers now: the subscription is registered, and a client that waits for them
            // (the CLI does, before it starts a handoff) knows no later event can be missed.
            await response.WriteAsync(": subscribed\n\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            foreach (var item in subscription.Replay)
            {
                await response.WriteAsync(Format(item), Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            }

            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            var idle = Task.Delay(KeepAlive, time, stopTimer.Token);
            Task<bool>? ready = null;
            while (true)
            {
                ready ??= subscription.Live.WaitToReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(ready, idle).ConfigureAwait(false) == idle)
                {
                    await response.WriteAsync(": keep-alive\n\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    idle = Task.Delay(KeepAlive, time, stopTimer.Token);
                    continue;
                }

                var more = await ready.ConfigureAwait(false);
                ready = null;
                if (!more)
                {
                    return;
                }

                while (subscription.Live.TryRead(out var item))
                {
                    await response.WriteAsync(Format(item), Encoding.UTF8, cancellationToken).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HandoffFeedOverflowException ex)
        {
            // The client fell behind; tell it why before closing, so it can resume after its last id.
            await response.WriteAsync($"event: overflow\ndata: {JsonSerializer.Serialize(new ErrorView(ex.Message), Json)}\n\n", Encoding.UTF8, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            await stopTimer.CancelAsync().ConfigureAwait(false);
        }
    }
}
