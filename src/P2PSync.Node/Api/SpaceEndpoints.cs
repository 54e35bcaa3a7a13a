using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Api;

/// <summary>
/// /api/spaces, /api/spaces/{id}/members, /api/spaces/{id}/invites and /api/join (see
/// docs/protocol/local-api.md). Bodies are read by hand (<see cref="ApiJson"/>) so every bad body
/// gets a JSON 400 rather than an exception; every refusal is a <see cref="SpaceRequestException"/>
/// answered by <see cref="Answer"/>.
/// </summary>
internal static class SpaceEndpoints
{
    public static void Map(WebApplication app, NodeHost node)
    {
        var operations = new SpaceOperations(node.Spaces, node.Peers, node.Documents);

        app.MapGet("/api/spaces", () => Results.Ok(operations.List()));

        app.MapPost("/api/spaces", (HttpRequest http) => RunAsync(async () =>
        {
            var request = (await ApiJson.ReadAsync<CreateSpaceRequest>(http).ConfigureAwait(false))!;
            var created = operations.Create(request.Name);
            return Results.Created($"/api/spaces/{created.Id}", created);
        }));

        app.MapGet("/api/spaces/{id}", (string id) =>
            RunAsync(() => Task.FromResult(Results.Ok(operations.Describe(id)))));

        app.MapPost("/api/spaces/{id}/members", (HttpRequest http, string id) => RunAsync(async () =>
        {
            var request = (await ApiJson.ReadAsync<AddMemberRequest>(http).ConfigureAwait(false))!;
            return Results.Ok(operations.AddMember(id, request.Device, request.Role));
        }));

        app.MapPut("/api/spaces/{id}/members/{device}", (HttpRequest http, string id, string device) => RunAsync(async () =>
        {
            var request = (await ApiJson.ReadAsync<ChangeRoleRequest>(http).ConfigureAwait(false))!;
            return Results.Ok(operations.ChangeRole(id, device, request.Role));
        }));

        app.MapDelete("/api/spaces/{id}/members/{device}", (string id, string device) =>
            RunAsync(() => Task.FromResult(Results.Ok(operations.Remove(id, device)))));

        app.MapPost("/api/spaces/{id}/invites", (HttpRequest http, string id) => RunAsync(async () =>
        {
            var request = (await ApiJson.ReadAsync<CreateInviteRequest>(http).ConfigureAwait(false))!;
            return Results.Ok(operations.Invite(id, request.Role, request.Expires, request.Addresses, node.InviteAddresses(), throughRelay: node.RelayMailbox is not null, relayOnly: request.RelayOnly));
        }));

        app.MapPost("/api/join", (HttpRequest http) => RunAsync(async () =>
        {
            var request = (await ApiJson.ReadAsync<JoinInviteRequest>(http).ConfigureAwait(false))!;
            var code = SpaceOperations.ParseCode(request.Code);
            try
            {
                var relay = request.Relay is null ? null : SpaceOperations.ParseRelay(request.Relay);
                var (space, inviterName) = await node.JoinAsync(code, relay, http.HttpContext.RequestAborted).ConfigureAwait(false);
                return Results.Ok(SpaceOperations.Joined(space, node.Spaces.Self, code.Inviter, inviterName));
            }
            catch (JoinFailedException ex)
            {
                throw new SpaceRequestException(SpaceRequestProblem.JoinFailed, ex.Message, ex);
            }
        }));
    }

    /// <summary>The status code for a refusal: the API's half of the contract the CLI's exit codes mirror.</summary>
    public static int StatusOf(SpaceRequestProblem problem) => problem switch
    {
        SpaceRequestProblem.BadInput => StatusCodes.Status400BadRequest,
        SpaceRequestProblem.Forbidden => StatusCodes.Status403Forbidden,
        SpaceRequestProblem.NotFound => StatusCodes.Status404NotFound,
        SpaceRequestProblem.JoinFailed => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status409Conflict,
    };

    public static IResult Answer(SpaceRequestException refusal) =>
        Results.Json(new ErrorView(refusal.Message), statusCode: StatusOf(refusal.Problem));

    private static async Task<IResult> RunAsync(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (BadJsonException ex)
        {
            return Results.BadRequest(new ErrorView(ex.Message));
        }
        catch (SpaceRequestException ex)
        {
            return Answer(ex);
        }
    }
}
