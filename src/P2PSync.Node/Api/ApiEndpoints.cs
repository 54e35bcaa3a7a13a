using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using P2PSync.Node.Discovery;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Transport.Tcp;

namespace P2PSync.Node.Api;

/// <summary>The JSON endpoints of the local API; see docs/protocol/local-api.md.</summary>
internal static class ApiEndpoints
{
    /// <summary>The root a document's text lives in unless a request names another.</summary>
    public const string DefaultRoot = "text";

    /// <summary>
    /// Maps every endpoint. GET /api/nearby reads <paramref name="status"/> as an
    /// <see cref="INearbyStatus"/> when it is one (the running node is), so the server's wiring
    /// did not have to change for it; anything else reports no nearby devices.
    /// </summary>
    public static void Map(WebApplication app, DocumentHub hub, PeerBook peers, INodeStatus status) =>
        Map(app, hub, peers, status, status as INearbyStatus);

    public static void Map(WebApplication app, DocumentHub hub, PeerBook peers, INodeStatus status, INearbyStatus? nearby)
    {
        app.MapGet("/api/status", () => TypedResults.Ok(Status(hub, peers, status)));

        app.MapGet("/api/nearby", () => TypedResults.Ok(NearbyViews(nearby, peers)));

        app.MapGet("/api/peers", () => TypedResults.Ok(PeerViews(peers, status)));

        app.MapPost("/api/peers", Results<Created<PeerView>, BadRequest<ErrorView>> (AddPeerRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.DeviceId))
            {
                return TypedResults.BadRequest(new ErrorView("deviceId is required"));
            }

            try
            {
                var added = peers.Add(request.DeviceId, request.Addresses ?? []);
                return TypedResults.Created($"/api/peers/{added.DeviceId}", ToView(added, status));
            }
            catch (FormatException ex)
            {
                return TypedResults.BadRequest(new ErrorView(ex.Message));
            }
        });

        app.MapDelete("/api/peers/{deviceId}", Results<NoContent, NotFound<ErrorView>, BadRequest<ErrorView>> (string deviceId) =>
        {
            try
            {
                return peers.Remove(deviceId)
                    ? TypedResults.NoContent()
                    : TypedResults.NotFound(new ErrorView($"{deviceId} is not a trusted peer"));
            }
            catch (FormatException ex)
            {
                return TypedResults.BadRequest(new ErrorView(ex.Message));
            }
        });

        app.MapGet("/api/docs", () => TypedResults.Ok(hub.List().Select(ToView).ToList()));

        app.MapPost("/api/docs", Results<Created<DocView>, BadRequest<ErrorView>> (CreateDocRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                return TypedResults.BadRequest(new ErrorView("name is required"));
            }

            try
            {
                var created = hub.Create(request.Name, "api");
                return TypedResults.Created($"/api/docs/{created.Id}", ToView(created));
            }
            catch (InvalidStoreInputException ex)
            {
                return TypedResults.BadRequest(new ErrorView(ex.Message));
            }
        });

        app.MapGet("/api/docs/{id}", Results<Ok<DocDetailView>, NotFound<ErrorView>, BadRequest<ErrorView>> (string id, string? root) =>
        {
            try
            {
                return TypedResults.Ok(Detail(hub, id, root ?? DefaultRoot));
            }
            catch (UnknownDocumentException ex)
            {
                return TypedResults.NotFound(new ErrorView(ex.Message));
            }
            catch (RootTypeException ex)
            {
                return TypedResults.BadRequest(new ErrorView(ex.Message));
            }
        });

        app.MapPost("/api/docs/{id}/rename", Results<Ok<DocView>, NotFound<ErrorView>, BadRequest<ErrorView>> (string id, RenameRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                return TypedResults.BadRequest(new ErrorView("name is required"));
            }

            try
            {
                return TypedResults.Ok(ToView(hub.Rename(id, request.Name, "api")));
            }
            catch (UnknownDocumentException ex)
            {
                return TypedResults.NotFound(new ErrorView(ex.Message));
            }
            catch (InvalidStoreInputException ex)
            {
                return TypedResults.BadRequest(new ErrorView(ex.Message));
            }
        });

        app.MapPost("/api/docs/{id}/append", async Task<Results<Ok<DocDetailView>, NotFound<ErrorView>, BadRequest<ErrorView>>> (string id, AppendRequest request) =>
        {
            if (request.Text is null)
            {
                return TypedResults.BadRequest(new ErrorView("text is required"));
            }

            var root = request.Root ?? DefaultRoot;
            try
            {
                hub.Edit(id, doc => TextEdits.Append(doc, root, request.Text), "api");
            }
            catch (UnknownDocumentException ex)
            {
                return TypedResults.NotFound(new ErrorView(ex.Message));
            }
            catch (RootTypeException ex)
            {
                return TypedResults.BadRequest(new ErrorView(ex.Message));
            }

            // Acknowledged only once durable: the edit is already relayed, its commit may still run.
            await hub.WhenDurableAsync().ConfigureAwait(false);
            return TypedResults.Ok(Detail(hub, id, root));
        });
    }

    private static StatusView Status(DocumentHub hub, PeerBook peers, INodeStatus status) =>
        new(
            status.DeviceId,
            status.ListenPort,
            Environment.ProcessId,
            PeerViews(peers, status),
            hub.List().Select(d => new DocStatusView(d.Id, d.Name, status.SyncStateOf(d.Id))).ToList());

    private static List<NearbyView> NearbyViews(INearbyStatus? nearby, PeerBook peers)
    {
        if (nearby is null)
        {
            return [];
        }

        var trusted = peers.List().Select(p => p.DeviceId).ToHashSet(StringComparer.Ordinal);
        return nearby.Nearby
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Device.ToString(), StringComparer.Ordinal)
            .Select(s => ToView(s, trusted.Contains(s.Device.ToString())))
            .ToList();
    }

    private static NearbyView ToView(PeerSighting sighting, bool trusted) =>
        new(
            sighting.Device.ToString(),
            sighting.Name,
            sighting.Endpoints.Select(e => new PeerAddress(e.Address.ToString(), e.Port).ToString()).ToList(),
            trusted,
            sighting.LastSeen);

    private static List<PeerView> PeerViews(PeerBook peers, INodeStatus status) =>
        peers.List().Select(p => ToView(p, status)).ToList();

    private static PeerView ToView(PeerRecord peer, INodeStatus status)
    {
        var catchUp = status.CatchUpOf(peer.DeviceId);
        return new(
            peer.DeviceId,
            peer.Name,
            peer.Addresses,
            status.ConnectedDevices().Contains(peer.DeviceId),
            peer.LastSeenMs,
            catchUp?.Connect.TotalMilliseconds,
            catchUp?.CaughtUp.TotalMilliseconds,
            catchUp?.Durable.TotalMilliseconds);
    }

    private static DocView ToView(DocumentRecord doc) => new(doc.Id, doc.Name, doc.CreatedMs);

    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="RootTypeException">The root is not a text.</exception>
    private static DocDetailView Detail(DocumentHub hub, string id, string root)
    {
        var record = hub.Get(id) ?? throw new UnknownDocumentException(id);
        return new DocDetailView(record.Id, record.Name, record.CreatedMs, root, hub.Read(id, doc => TextEdits.Read(doc, root)));
    }
}
