using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace P2PSync.Node.Api;

/// <summary>
/// Reads request bodies by hand where the API promises a JSON error for every kind of bad body
/// (model binding would answer malformed JSON with an empty 400).
/// </summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = Handoff.ActivityLimits.MaxJsonDepth };

    /// <summary>The body as <typeparamref name="T"/>; an empty body is null when <paramref name="optional"/>.</summary>
    /// <exception cref="BadJsonException">Malformed JSON, the wrong shape, or a missing required body.</exception>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, bool optional = false)
        where T : class
    {
        if (optional && request.ContentLength is 0 or null && !request.Headers.TransferEncoding.Any())
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted).ConfigureAwait(false)
                ?? (optional ? null : throw new BadJsonException("the body must be a JSON object, not null"));
        }
        catch (JsonException ex)
        {
            throw new BadJsonException($"the body is not valid JSON for this request: {ex.Message}", ex);
        }
    }
}
