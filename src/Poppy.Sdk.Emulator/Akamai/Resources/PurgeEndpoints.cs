using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Akamai.AkamaiJson;

namespace Poppy.Sdk.Emulator.Akamai.Resources;

/// <summary>
/// Fast Purge, CCU v3: <c>POST /ccu/v3/{invalidate|delete}/{url|cpcode|tag}/{staging|production}</c> with
/// <c>{"objects": [...]}</c> (URLs may instead be paths under a <c>hostname</c>). Bodies over
/// <see cref="AkamaiEmulatorOptions.MaxPurgeBodyBytes"/> are 413; every request takes a token from the request
/// bucket and one per object from its type's bucket, or is refused with 429 and the bucket's
/// <c>rateLimit*</c> members. A URL must be on a hostname of a property, a CP code one of the account's (403 as
/// Fast Purge answers "unauthorized arl"/"unauthorized cpcode"). Accepted: 201 with <c>estimatedSeconds</c>,
/// <c>purgeId</c>, <c>supportId</c>.
/// </summary>
internal sealed class PurgeEndpoints(AkamaiState state)
{
    public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/ccu/v3/{action}/{type}/{network}", PurgeAsync);

    private async Task PurgeAsync(HttpContext context)
    {
        var action = context.Request.RouteValues["action"]?.ToString() ?? "";
        var type = context.Request.RouteValues["type"]?.ToString() ?? "";
        var network = context.Request.RouteValues["network"]?.ToString() ?? "";
        if (action is not ("invalidate" or "delete") || type is not ("url" or "cpcode" or "tag"))
        {
            throw AkamaiError.Purge(404, "Not Found", $"No Fast Purge operation at {context.Request.Path}.");
        }

        if (network is not ("staging" or "production"))
        {
            throw AkamaiError.Purge(400, "Bad Request", $"Invalid network '{network}': use staging or production.");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > state.Options.MaxPurgeBodyBytes)
        {
            throw AkamaiError.Purge(413, "Request Entity Too Large",
                $"The request body is {buffer.Length} bytes; Fast Purge accepts at most {state.Options.MaxPurgeBodyBytes}. Split the objects into smaller requests.");
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            throw AkamaiError.Purge(400, "Bad Request", "The request body is not valid JSON.");
        }

        if (body is not JsonObject o || o["objects"] is not JsonArray objects || objects.Count == 0)
        {
            throw AkamaiError.Purge(400, "Bad Request", "The body must be {\"objects\": [...]} with at least one object.");
        }

        var targets = type switch
        {
            "url" => Urls(objects, Text(o, "hostname")),
            "cpcode" => CpCodes(objects),
            _ => Tags(objects),
        };

        string purgeId;
        lock (state.Gate)
        {
            Authorize(type, targets);
            if (state.TakeTokens("requests", state.Options.RequestBucket, 1) is { } requestsLeft)
            {
                throw Throttled("Rate Limit exceeded", state.Options.RequestBucket, 1, requestsLeft);
            }

            var (bucket, title) = type switch
            {
                "url" => (state.Options.UrlBucket, "URL Rate Limit exceeded"),
                "cpcode" => (state.Options.CpCodeBucket, "CPCODE Rate Limit exceeded"),
                _ => (state.Options.TagBucket, "TAG Rate Limit exceeded"),
            };
            if (state.TakeTokens(type, bucket, targets.Count) is { } objectsLeft)
            {
                throw Throttled(title, bucket, targets.Count, objectsLeft);
            }

            purgeId = "edcp-emu" + state.NewId().ToString(CultureInfo.InvariantCulture);
            state.Purges.Add(new AkamaiPurgeRecord(action, type, network, targets, purgeId));
        }

        await WriteAsync(context, 201, new JsonObject
        {
            ["httpStatus"] = 201,
            ["estimatedSeconds"] = state.Options.PurgeEstimatedSeconds,
            ["purgeId"] = purgeId,
            ["supportId"] = purgeId,
            ["detail"] = "Request accepted",
        }).ConfigureAwait(false);
    }

    private static AkamaiError Throttled(string title, PurgeBucket bucket, int size, int left) =>
        new(429, "ccu/v3/rate-limit", title, "")
        {
            Throttle = true,
            Extensions = new JsonObject
            {
                ["rateLimit"] = (long)bucket.Capacity,
                ["rateLimitCurrentRequestSize"] = size,
                ["rateLimitRemaining"] = left,
            },
        };

    private static List<string> Urls(JsonArray objects, string? hostname)
    {
        var urls = new List<string>();
        foreach (var item in objects)
        {
            var text = item is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw AkamaiError.Purge(400, "Bad Request", "URL objects must be strings.");
            if (hostname is not null)
            {
                text = "https://" + hostname + (text.StartsWith('/') ? text : "/" + text);
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw AkamaiError.Purge(400, "Bad Request", $"'{text}' is not an absolute http or https URL.");
            }

            urls.Add(text);
        }

        return urls;
    }

    private static List<string> CpCodes(JsonArray objects) =>
        [.. objects.Select(item => item is JsonValue v && v.TryGetValue<long>(out var n) && n > 0
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw AkamaiError.Purge(400, "Bad Request", $"CP code objects must be positive integers, not {item?.ToJsonString() ?? "null"}."))];

    private static List<string> Tags(JsonArray objects) =>
        [.. objects.Select(item => item is JsonValue v && v.TryGetValue<string>(out var s) && s.Length is > 0 and <= 128
            ? s
            : throw AkamaiError.Purge(400, "Bad Request", $"Cache tags must be strings of 1 to 128 characters, not {item?.ToJsonString() ?? "null"}."))];

    /// <summary>403 for a URL on no property's hostname or a CP code not on the account. Call under the lock.</summary>
    private void Authorize(string type, List<string> targets)
    {
        if (type == "url")
        {
            var hosts = state.Properties.Values.SelectMany(p => p.Versions).SelectMany(v => v.Hostnames).Select(h => h.CnameFrom).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (targets.Find(u => !hosts.Contains(new Uri(u).Host)) is { } url)
            {
                throw AkamaiError.Purge(403, "unauthorized arl", url);
            }
        }
        else if (type == "cpcode" && targets.Find(c => !state.CpCodes.ContainsKey(long.Parse(c, CultureInfo.InvariantCulture))) is { } cpcode)
        {
            throw AkamaiError.Purge(403, "unauthorized cpcode", cpcode);
        }
    }
}
