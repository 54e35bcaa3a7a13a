using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using P2PSync.Crdt;
using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Api;

/// <summary>
/// GET/PUT /api/activity: this device's activity. Apps speak indexes into the root text
/// <c>text</c> (or Yjs relative positions, base64); the node stores relative positions and resolves
/// them again on every GET, so an index read later reflects the edits made since.
/// </summary>
internal static class ActivityEndpoints
{
    public static void Map(WebApplication app, DocumentHub hub, ActivityStore activity)
    {
        app.MapGet("/api/activity", () => TypedResults.Ok(View(hub, activity.Current)));

        app.MapPut("/api/activity", async (HttpContext context) =>
        {
            try
            {
                var request = (await ApiJson.ReadAsync<ActivityRequest>(context.Request).ConfigureAwait(false))!;
                var documents = ToDocuments(hub, request);
                return Results.Ok(View(hub, activity.Set(documents, request.State)));
            }
            catch (BadJsonException ex)
            {
                return Results.BadRequest(new ErrorView(ex.Message));
            }
            catch (BadActivityException ex)
            {
                return ex.UnknownDocument ? Results.NotFound(new ErrorView(ex.Message)) : Results.BadRequest(new ErrorView(ex.Message));
            }
            catch (ActivityFormatException ex)
            {
                return ex.IsTooLarge
                    ? Results.Json(new ErrorView(ex.Message), statusCode: StatusCodes.Status413PayloadTooLarge)
                    : Results.BadRequest(new ErrorView(ex.Message));
            }
        });
    }

    /// <summary>The activity with every position resolved against the documents as they are now.</summary>
    public static ActivityView View(DocumentHub hub, Activity activity) =>
        new(
            activity.Version,
            activity.UpdatedMs,
            activity.Documents.Select(d => new ActivityDocumentView(
                d.DocId,
                Resolve(hub, d.DocId, d.Cursor),
                Resolve(hub, d.DocId, d.Anchor),
                d.Cursor is null ? null : Convert.ToBase64String(d.Cursor),
                d.Anchor is null ? null : Convert.ToBase64String(d.Anchor),
                d.View)).ToList(),
            activity.State,
            activity.HandedOffTo,
            activity.ResumedFrom);

    /// <summary>The request's documents with every position as a relative position.</summary>
    /// <exception cref="BadActivityException">A missing, duplicate or unknown id, a position given twice or out of range, bad base64.</exception>
    public static IReadOnlyList<ActivityDocument> ToDocuments(DocumentHub hub, ActivityRequest request)
    {
        if (request.Documents is not { } requested)
        {
            throw new BadActivityException("documents is required (an empty list means nothing is open)");
        }

        if (requested.Count > ActivityLimits.MaxDocuments)
        {
            throw new BadActivityException($"at most {ActivityLimits.MaxDocuments} documents can be open in one activity, not {requested.Count}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var documents = new List<ActivityDocument>(requested.Count);
        foreach (var doc in requested)
        {
            if (doc is null || string.IsNullOrEmpty(doc.Id))
            {
                throw new BadActivityException("every document needs an id");
            }

            if (!seen.Add(doc.Id))
            {
                throw new BadActivityException($"document {doc.Id} is listed twice");
            }

            if (hub.Get(doc.Id) is null)
            {
                throw new BadActivityException($"no document with id '{doc.Id}'", unknownDocument: true);
            }

            var relativeCursor = Relative(doc.CursorRelative, "cursorRelative", doc.Id);
            var relativeAnchor = Relative(doc.AnchorRelative, "anchorRelative", doc.Id);
            if (doc.Cursor is not null && relativeCursor is not null || doc.Anchor is not null && relativeAnchor is not null)
            {
                throw new BadActivityException($"document {doc.Id}: give a position as an index or as a relative position, not both");
            }

            if (doc.Cursor is null && relativeCursor is null && (doc.Anchor is not null || relativeAnchor is not null))
            {
                throw new BadActivityException($"document {doc.Id}: a selection anchor needs a cursor");
            }

            // Both indexes against one state of the document, so a concurrent edit cannot split them.
            var (cursor, anchor) = hub.Read(doc.Id, live => (
                doc.Cursor is { } c ? FromIndex(live, c, "cursor", doc.Id) : relativeCursor,
                doc.Anchor is { } a ? FromIndex(live, a, "anchor", doc.Id) : relativeAnchor));
            documents.Add(new ActivityDocument(doc.Id, cursor, anchor, doc.View));
        }

        return documents;
    }

    private static int? Resolve(DocumentHub hub, string docId, byte[]? position)
    {
        if (position is null || hub.Get(docId) is null)
        {
            return null;
        }

        return hub.Read(docId, doc => ActivityPositions.ToIndex(doc, position));
    }

    private static byte[] FromIndex(P2PSync.Crdt.Core.Doc doc, int index, string name, string docId)
    {
        try
        {
            return ActivityPositions.FromIndex(doc, index);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new BadActivityException($"document {docId}: {name} {index} is outside the text ({ex.Message.Split(Environment.NewLine)[0]})", inner: ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new BadActivityException($"document {docId}: its root '{ActivityPositions.RootText}' is not a text, so it has no {name} index", inner: ex);
        }
    }

    private static byte[]? Relative(string? base64, string name, string docId)
    {
        if (base64 is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new BadActivityException($"document {docId}: {name} is not base64", inner: ex);
        }

        if (bytes.Length == 0 || bytes.Length > ActivityLimits.MaxPositionBytes)
        {
            throw new BadActivityException($"document {docId}: {name} must be 1 to {ActivityLimits.MaxPositionBytes} bytes");
        }

        try
        {
            Y.DecodeRelativePosition(bytes);
        }
        catch (UpdateFormatException ex)
        {
            throw new BadActivityException($"document {docId}: {name} is not a Yjs relative position: {ex.Message}", inner: ex);
        }

        return bytes;
    }
}
