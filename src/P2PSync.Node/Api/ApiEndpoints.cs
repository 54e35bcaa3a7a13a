using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using P2PSync.Node.Discovery;
using P2PSync.Node.Hosting;
using P2PSync.Node.Storage;
using P2PSync.Node.Transport.Tcp;
using P2PSync.Protocol.Identity;

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

        if (status is IHandoffStatus handoff)
        {
            ActivityEndpoints.Map(app, hub, handoff.Handoff.Activity);
            HandoffEndpoints.Map(app, handoff.Handoff, peers);
        }

        // Spaces live in the running node (the status of a bare hub has none): their endpoints
        // and the space-aware document ones need it.
        var node = status as NodeHost;
        var spaces = node is null ? null : new SpaceOperations(node.Spaces, node.Peers, node.Documents);
        if (node is not null)
        {
            SpaceEndpoints.Map(app, node);
            RelayEndpoints.Map(app, node);
            YWebRtcShareEndpoints.Map(app, node.WebRtcShares);
        }

        app.MapGet("/api/nearby", () => TypedResults.Ok(NearbyViews(nearby, peers)));

        app.MapGet("/api/peers", () => TypedResults.Ok(PeerViews(peers, status, hub).Concat(MemberViews(spaces, status)).ToList()));

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

        app.MapGet("/api/docs", () => TypedResults.Ok(hub.List().Select(SpaceOperations.ToView).ToList()));

        app.MapPost("/api/docs", async (HttpRequest http) =>
        {
            try
            {
                var request = (await ApiJson.ReadAsync<CreateDocRequest>(http).ConfigureAwait(false))!;
                var created = spaces is not null
                    ? spaces.CreateDocument(request.Name, request.Space, "api")
                    : CreateWithoutSpaces(hub, request);
                return Results.Created($"/api/docs/{created.Id}", created);
            }
            catch (BadJsonException ex)
            {
                return Results.BadRequest(new ErrorView(ex.Message));
            }
            catch (SpaceRequestException ex)
            {
                return SpaceEndpoints.Answer(ex);
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
                return TypedResults.Ok(SpaceOperations.ToView(hub.Rename(id, request.Name, "api")));
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

        app.MapPost("/api/docs/{id}/append", async Task<Results<Ok<DocDetailView>, NotFound<ErrorView>, BadRequest<ErrorView>, JsonHttpResult<ErrorView>>> (string id, AppendRequest request) =>
        {
            if (request.Text is null)
            {
                return TypedResults.BadRequest(new ErrorView("text is required"));
            }

            var root = request.Root ?? DefaultRoot;
            try
            {
                // Acknowledged only once durable: the edit is relayed at once, its commit may still run.
                await hub.EditDurablyAsync(id, doc => TextEdits.Append(doc, root, request.Text), "api").ConfigureAwait(false);
            }
            catch (StoreException ex)
            {
                return TypedResults.Json(new ErrorView($"the edit was applied but could not be stored: {ex.Message}"), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (ReadOnlyDocumentException ex)
            {
                return TypedResults.Json(new ErrorView(ex.Message), statusCode: StatusCodes.Status403Forbidden);
            }
            catch (UnknownDocumentException ex)
            {
                return TypedResults.NotFound(new ErrorView(ex.Message));
            }
            catch (RootTypeException ex)
            {
                return TypedResults.BadRequest(new ErrorView(ex.Message));
            }

            return TypedResults.Ok(Detail(hub, id, root));
        });
    }

    /// <summary>A hub without spaces (never the running node): documents go where the hub puts them.</summary>
    private static DocView CreateWithoutSpaces(DocumentHub hub, CreateDocRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, "name is required");
        }

        if (request.Space is not null)
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, "this node has no spaces");
        }

        try
        {
            return SpaceOperations.ToView(hub.Create(request.Name, "api"));
        }
        catch (InvalidStoreInputException ex)
        {
            throw new SpaceRequestException(SpaceRequestProblem.BadInput, ex.Message, ex);
        }
    }

    /// <summary>Members of shared spaces that are not trusted devices, after the trusted ones.</summary>
    private static IEnumerable<PeerView> MemberViews(SpaceOperations? spaces, INodeStatus status)
    {
        if (spaces is null)
        {
            return [];
        }

        var connected = status.ConnectedDevices();
        return spaces.MemberPeers().Select(m => new PeerView(
            m.Device.ToString(),
            m.Known?.Name,
            m.Known?.Addresses ?? [],
            connected.Contains(m.Device.ToString()),
            m.Known?.LastSeenMs,
            Trusted: false,
            Spaces: m.Spaces,
            Path: status.PathOf(m.Device.ToString()),
            RttMs: status.RoundTripOf(m.Device.ToString())?.TotalMilliseconds));
    }

    private static StatusView Status(DocumentHub hub, PeerBook peers, INodeStatus status) =>
        new(
            status.DeviceId,
            status.ListenPort,
            Environment.ProcessId,
            PeerViews(peers, status, hub),
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

    private static List<PeerView> PeerViews(PeerBook peers, INodeStatus status, DocumentHub? hub = null)
    {
        var connected = status.ConnectedDevices();
        var activities = (status as IHandoffStatus)?.Handoff.PeerActivities;
        return peers.List().Select(p => ToView(p, status, connected.Contains(p.DeviceId), Open(p.DeviceId, status, activities, hub))).ToList();
    }

    /// <summary>
    /// What a connected peer has open: the documents of its latest Presence, else those it
    /// publishes its own awareness state in (named from our records). Empty when nothing is known,
    /// null when this node runs without presence (a status of a store, not a running node).
    /// </summary>
    private static List<PeerActivityDocumentView>? Open(string deviceId, INodeStatus status, IReadOnlyDictionary<DeviceId, Protocol.Wire.Presence>? activities, DocumentHub? hub)
    {
        if (status is not IHandoffStatus presence || activities is null)
        {
            return null;
        }

        if (!DeviceId.TryParse(deviceId, out var device))
        {
            return [];
        }

        if (activities.TryGetValue(device, out var latest) && string.IsNullOrEmpty(latest.HandedOffTo))
        {
            return latest.Documents.Select(d => new PeerActivityDocumentView(d.DocId, d.Name)).ToList();
        }

        return presence.Awareness.Hub.DocumentsOpenOn(device)
            .Select(id => new PeerActivityDocumentView(id, hub?.Get(id)?.Name ?? ""))
            .ToList();
    }

    private static PeerView ToView(PeerRecord peer, INodeStatus status) =>
        ToView(peer, status, status.ConnectedDevices().Contains(peer.DeviceId), null);

    private static PeerView ToView(PeerRecord peer, INodeStatus status, bool connected, List<PeerActivityDocumentView>? open)
    {
        var catchUp = status.CatchUpOf(peer.DeviceId);
        return new(
            peer.DeviceId,
            peer.Name,
            peer.Addresses,
            connected,
            peer.LastSeenMs,
            catchUp?.Connect.TotalMilliseconds,
            catchUp?.CaughtUp.TotalMilliseconds,
            catchUp?.Durable.TotalMilliseconds,
            open,
            Path: status.PathOf(peer.DeviceId),
            RttMs: status.RoundTripOf(peer.DeviceId)?.TotalMilliseconds);
    }


    /// <exception cref="UnknownDocumentException">No such document.</exception>
    /// <exception cref="RootTypeException">The root is not a text.</exception>
    private static DocDetailView Detail(DocumentHub hub, string id, string root)
    {
        var record = hub.Get(id) ?? throw new UnknownDocumentException(id);
        return new DocDetailView(record.Id, record.Name, record.CreatedMs, root, hub.Read(id, doc => TextEdits.Read(doc, root)));
    }
}
