using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Cloudflare;

/// <summary>Cloudflare's wire format: JSON bodies, the v4 envelope, <c>page</c>/<c>per_page</c> with <c>result_info</c>.</summary>
internal static class CloudflareJson
{
    /// <summary>The request's JSON object body; a missing, malformed or non-object body is a 400.</summary>
    public static async Task<JsonObject> BodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                ?? throw CloudflareError.BadRequest(6007, "Malformed JSON in request body");
        }
        catch (JsonException)
        {
            throw CloudflareError.BadRequest(6007, "Malformed JSON in request body");
        }
    }

    /// <summary>Writes a JSON answer.</summary>
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes <c>{"success": true, "errors": [], "messages": [], "result": …}</c> (with <c>result_info</c> when given).</summary>
    public static Task OkAsync(HttpContext context, JsonNode? result, JsonObject? resultInfo = null, JsonArray? messages = null)
    {
        var body = new JsonObject
        {
            ["success"] = true,
            ["errors"] = new JsonArray(),
            ["messages"] = messages ?? new JsonArray(),
            ["result"] = result,
        };
        if (resultInfo is not null)
        {
            body["result_info"] = resultInfo;
        }

        return WriteAsync(context, 200, body);
    }

    /// <summary>One page of <paramref name="items"/> with its <c>result_info</c>.</summary>
    public static (JsonArray Page, JsonObject Info) Paged<T>(HttpRequest request, IReadOnlyList<T> items, Func<T, JsonNode> json, int defaultPerPage, int maxPerPage)
    {
        var query = request.Query;
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? Math.Min(pp, maxPerPage) : defaultPerPage;
        var slice = items.Skip((page - 1) * perPage).Take(perPage).Select(json).ToArray();
        var info = new JsonObject
        {
            ["page"] = page,
            ["per_page"] = perPage,
            ["count"] = slice.Length,
            ["total_count"] = items.Count,
            ["total_pages"] = (items.Count + perPage - 1) / perPage,
        };
        return (new JsonArray(slice), info);
    }

    /// <summary>A string field, or null when absent; another JSON type is a 400.</summary>
    public static string? String(JsonObject body, string name, int code)
    {
        var node = body[name];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw CloudflareError.BadRequest(code, $"'{name}' must be a string.");
    }

    /// <summary>Cloudflare's timestamps: RFC 3339 with microseconds.</summary>
    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
