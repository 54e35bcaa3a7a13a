using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Api;

/// <summary>
/// /api/webrtc-shares: documents shared into y-webrtc rooms (docs/protocol/y-webrtc.md).
/// POST {docId, room, password?} joins (200 with the share; the same share again is a no-op);
/// GET lists; DELETE ?docId=&amp;room= leaves. 404 unknown document, 400 bad room name or body,
/// 409 no relay configured or the room already holds another share.
/// </summary>
internal static class YWebRtcShareEndpoints
{
    public static void Map(WebApplication app, YWebRtcShares shares)
    {
        app.MapGet("/api/webrtc-shares", () => Results.Ok(shares.List()));

        app.MapPost("/api/webrtc-shares", async (HttpRequest http) =>
        {
            try
            {
                var request = (await ApiJson.ReadAsync<YWebRtcShareRequest>(http).ConfigureAwait(false))!;
                var docId = string.IsNullOrWhiteSpace(request.DocId) ? throw new BadJsonException("docId is required") : request.DocId;
                return Results.Ok(await shares.ShareAsync(docId, request.Room ?? "", request.Password, http.HttpContext.RequestAborted).ConfigureAwait(false));
            }
            catch (BadJsonException ex)
            {
                return Results.BadRequest(new ErrorView(ex.Message));
            }
            catch (BadRoomNameException ex)
            {
                return Results.BadRequest(new ErrorView(ex.Message));
            }
            catch (UnknownDocumentException ex)
            {
                return Results.NotFound(new ErrorView(ex.Message));
            }
            catch (Exception ex) when (ex is RelayNotConfiguredException or RoomAlreadySharedException)
            {
                return Results.Conflict(new ErrorView(ex.Message));
            }
        });

        app.MapDelete("/api/webrtc-shares", async (string? docId, string? room, HttpRequest http) =>
        {
            if (string.IsNullOrWhiteSpace(docId) || string.IsNullOrWhiteSpace(room))
            {
                return Results.BadRequest(new ErrorView("the share to stop is given as ?docId=ID&room=NAME"));
            }

            return await shares.UnshareAsync(docId, room, http.HttpContext.RequestAborted).ConfigureAwait(false)
                ? Results.NoContent()
                : Results.NotFound(new ErrorView($"document {docId} is not shared into room '{room}'"));
        });
    }
}
