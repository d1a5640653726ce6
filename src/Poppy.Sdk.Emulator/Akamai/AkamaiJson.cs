using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Akamai;

/// <summary>Akamai's wire format: JSON bodies, ids with or without their prefixes (<c>PAPI-Use-Prefixes</c>), links.</summary>
internal static class AkamaiJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false };

    /// <summary>Writes a JSON answer.</summary>
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body.ToJsonString(Indented), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a 200 JSON answer.</summary>
    public static Task OkAsync(HttpContext context, JsonNode body) => WriteAsync(context, 200, body);

    /// <summary>Writes a 201 answer with a <c>Location</c>: <c>{"&lt;name&gt;": link}</c>.</summary>
    public static Task CreatedAsync(HttpContext context, string name, string link)
    {
        context.Response.Headers.Location = link;
        return WriteAsync(context, 201, new JsonObject { [name] = link });
    }

    /// <summary>The request body as JSON; Akamai's 400 when it is missing or not JSON.</summary>
    public static async Task<JsonNode> BodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false)
                ?? throw AkamaiError.BadRequest("The request body is empty.");
        }
        catch (JsonException e)
        {
            throw AkamaiError.BadRequest("The request body is not valid JSON: " + e.Message);
        }
    }

    /// <summary>The request body as a JSON object, or Akamai's 400.</summary>
    public static async Task<JsonObject> ObjectBodyAsync(HttpContext context) =>
        await BodyAsync(context).ConfigureAwait(false) as JsonObject ?? throw AkamaiError.BadRequest("The request body must be a JSON object.");

    /// <summary>Whether the answer writes ids with their prefixes: the <c>PAPI-Use-Prefixes</c> header, else the default.</summary>
    public static bool UsePrefixes(HttpContext context, bool byDefault)
    {
        var header = context.Request.Headers["PAPI-Use-Prefixes"].ToString();
        return header.Length == 0 ? byDefault : string.Equals(header, "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An id as written: <c>prp_123</c> with prefixes, <c>123</c> without.</summary>
    public static string Id(string prefix, string bare, bool prefixes) => prefixes ? prefix + "_" + bare : bare;

    /// <summary>An id as written.</summary>
    public static string Id(string prefix, long bare, bool prefixes) => Id(prefix, bare.ToString(CultureInfo.InvariantCulture), prefixes);

    /// <summary>An id as sent, without its prefix (both forms are accepted).</summary>
    public static string Bare(string prefix, string? id)
    {
        var value = (id ?? "").Trim();
        return value.StartsWith(prefix + "_", StringComparison.Ordinal) ? value[(prefix.Length + 1)..] : value;
    }

    /// <summary>A numeric id as sent (with or without its prefix), or null when it is not one.</summary>
    public static long? BareNumber(string prefix, string? id) =>
        long.TryParse(Bare(prefix, id), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A string member, or null.</summary>
    public static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer member, or null.</summary>
    public static long? Number(JsonNode? node, string name)
    {
        if (node is not JsonObject o || o[name] is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var n))
        {
            return n;
        }

        return v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n) ? n : null;
    }

    /// <summary>A timestamp as Akamai writes it: <c>2014-03-04T21:12:57Z</c>.</summary>
    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
