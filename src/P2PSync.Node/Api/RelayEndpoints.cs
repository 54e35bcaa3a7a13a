using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;

namespace P2PSync.Node.Api;

/// <summary>
/// GET, POST and DELETE /api/relays: the relays stored for `up` (see docs/protocol/local-api.md).
/// A change takes effect at the next start: the running node keeps the one mailbox connection it
/// opened, so a list edited while it runs never drops that connection under its feet.
/// </summary>
internal static class RelayEndpoints
{
    public static void Map(WebApplication app, NodeHost node)
    {
        app.MapGet("/api/relays", () => Results.Ok(node.StoredRelays.List().Select(r => ToView(r, node.RelayMailbox)).ToList()));

        app.MapPost("/api/relays", async (HttpRequest http) =>
        {
            try
            {
                var request = (await ApiJson.ReadAsync<AddRelayRequest>(http).ConfigureAwait(false))!;
                var (relay, added) = node.StoredRelays.Add(request.Url ?? throw new BadJsonException("url is required"));
                var view = ToView(relay, node.RelayMailbox);
                return added ? Results.Created($"/api/relays?url={Uri.EscapeDataString(relay.Url)}", view) : Results.Ok(view);
            }
            catch (BadJsonException ex)
            {
                return Results.BadRequest(new ErrorView(ex.Message));
            }
            catch (InvalidStoreInputException ex)
            {
                return Results.BadRequest(new ErrorView(ex.Message));
            }
        });

        app.MapDelete("/api/relays", (string? url) =>
        {
            if (string.IsNullOrWhiteSpace(url))
            {
                return Results.BadRequest(new ErrorView("the relay to remove is given as ?url=URL"));
            }

            try
            {
                return node.StoredRelays.Remove(url)
                    ? Results.NoContent()
                    : Results.NotFound(new ErrorView($"no relay {RelayUrls.Normalise(url)} is stored (see `p2psync relay list`)"));
            }
            catch (InvalidStoreInputException ex)
            {
                return Results.BadRequest(new ErrorView(ex.Message));
            }
        });
    }

    /// <summary>In use when the running node's mailbox is this relay's.</summary>
    public static RelayView ToView(RelayRow relay, Uri? mailboxInUse) =>
        new(relay.Url, relay.AddedMs, mailboxInUse is not null && NodeRelay.MailboxUri(new Uri(relay.Url)) == mailboxInUse);
}
