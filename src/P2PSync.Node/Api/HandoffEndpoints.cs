using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Api;

/// <summary>
/// /api/handoff: list, offer, pull, accept, decline, and the event stream. Commands answer 202
/// with the handoff id at once; how it ends is told by the events (and the list).
/// Errors: 400 malformed, 403 a device that is not trusted, 404 an unknown handoff id, 409 a
/// command the handoff's state or the device's connection does not allow.
/// </summary>
internal static class HandoffEndpoints
{
    public static void Map(WebApplication app, NodeHandoff handoff, PeerBook peers)
    {
        app.MapGet("/api/handoff", () => TypedResults.Ok(List(handoff, peers)));

        app.MapGet("/api/handoff/events", (HttpContext context) => HandoffEventStream.ServeAsync(context, handoff.Events, handoff.Time));

        app.MapPost("/api/handoff/offer", async (HttpContext context) =>
        {
            return await CommandAsync(async () =>
            {
                var request = (await ApiJson.ReadAsync<HandoffOfferRequest>(context.Request).ConfigureAwait(false))!;
                return handoff.Offer(TrustedDevice(peers, request.To, "to"));
            }).ConfigureAwait(false);
        });

        app.MapPost("/api/handoff/pull", async (HttpContext context) =>
        {
            return await CommandAsync(async () =>
            {
                var request = (await ApiJson.ReadAsync<HandoffPullRequest>(context.Request).ConfigureAwait(false))!;
                return handoff.Pull(TrustedDevice(peers, request.From, "from"));
            }).ConfigureAwait(false);
        });

        app.MapPost("/api/handoff/{id}/accept", (string id) => CommandAsync(() =>
        {
            KnownId(handoff, id);
            handoff.Accept(id);
            return Task.FromResult(id);
        }));

        app.MapPost("/api/handoff/{id}/decline", async (HttpContext context, string id) =>
        {
            return await CommandAsync(async () =>
            {
                var request = await ApiJson.ReadAsync<HandoffDeclineRequest>(context.Request, optional: true).ConfigureAwait(false);
                if (request?.Reason is { Length: > HandoffEngine.MaxReasonLength })
                {
                    throw new BadJsonException($"reason is longer than {HandoffEngine.MaxReasonLength} characters");
                }

                KnownId(handoff, id);
                handoff.Decline(id, request?.Reason ?? "declined");
                return id;
            }).ConfigureAwait(false);
        });
    }

    public static HandoffListView List(NodeHandoff handoff, PeerBook peers) =>
        new(
            handoff.Handoffs.Select(ToView).ToList(),
            handoff.PeerActivities
                .OrderBy(p => p.Key.ToString(), StringComparer.Ordinal)
                .Select(p => new PeerActivityView(
                    p.Key.ToString(),
                    peers.Find(p.Key.ToString())?.Name,
                    p.Value.Documents.Select(d => new PeerActivityDocumentView(d.DocId, d.Name)).ToList(),
                    (long)p.Value.Version,
                    string.IsNullOrEmpty(p.Value.HandedOffTo) ? null : p.Value.HandedOffTo))
                .ToList());

    public static HandoffView ToView(HandoffInfo info) =>
        new(
            info.Id,
            info.Direction == HandoffDirection.In ? "in" : "out",
            info.Kind == HandoffKind.Offer ? "offer" : "pull",
            info.Peer.ToString(),
            StateName(info.State),
            info.BytesDone,
            info.BytesTotal,
            info.Reason,
            info.CreatedMs,
            info.UpdatedMs);

    /// <summary>The state as the API and CLI spell it (the same words as the event kinds).</summary>
    public static string StateName(HandoffState state) => state switch
    {
        HandoffState.Offered => "offered",
        HandoffState.Requested => "requested",
        HandoffState.Transferring => "transferring",
        HandoffState.Ready => "ready",
        HandoffState.HandedOff => "handed-off",
        HandoffState.Declined => "declined",
        HandoffState.Expired => "expired",
        HandoffState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown handoff state"),
    };

    private static async Task<IResult> CommandAsync(Func<Task<string>> command)
    {
        try
        {
            var id = await command().ConfigureAwait(false);
            return Results.Accepted($"/api/handoff/{Uri.EscapeDataString(id)}", new HandoffStartedView(id));
        }
        catch (BadJsonException ex)
        {
            return Results.BadRequest(new ErrorView(ex.Message));
        }
        catch (UntrustedDeviceException ex)
        {
            return Results.Json(new ErrorView(ex.Message), statusCode: StatusCodes.Status403Forbidden);
        }
        catch (UnknownHandoffException ex)
        {
            return Results.NotFound(new ErrorView(ex.Message));
        }
        catch (HandoffException ex)
        {
            return Results.Conflict(new ErrorView(ex.Message));
        }
    }

    /// <exception cref="BadJsonException">Missing or not a DeviceId.</exception>
    /// <exception cref="UntrustedDeviceException">Not a trusted device: a handoff only ever goes to one.</exception>
    private static DeviceId TrustedDevice(PeerBook peers, string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BadJsonException($"{field} is required (a DeviceId)");
        }

        if (!DeviceId.TryParse(text.Trim(), out var device))
        {
            throw new BadJsonException($"{field} is not a DeviceId: '{text}'");
        }

        return peers.IsTrusted(device.ToString())
            ? device
            : throw new UntrustedDeviceException($"{device} is not a trusted device; add it with `p2psync peer add` first");
    }

    private static void KnownId(NodeHandoff handoff, string id)
    {
        if (!handoff.Knows(id))
        {
            throw new UnknownHandoffException($"no handoff with id '{id}'");
        }
    }
}
