using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Fastly.FastlyJson;

namespace Poppy.Sdk.Emulator.Fastly.Resources;

/// <summary>
/// Purges: by URL (<c>POST /purge/&lt;host&gt;&lt;path&gt;</c>), by surrogate key, by many keys
/// (<c>Surrogate-Key</c> header or <c>{"surrogate_keys": [...]}</c>, at most 256), everything
/// (<c>purge_all</c>, which alone counts against the hourly write budget); a <c>Fastly-Soft-Purge</c> header, whatever
/// its value, marks a soft purge. Every purge is recorded for inspection.
/// </summary>
internal sealed class PurgeEndpoints(FastlyState state)
{
    private const int MaxKeysPerRequest = 256;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/purge/{**target}", PurgeUrlAsync);
        var service = routes.MapGroup("/service/{id}");
        service.MapPost("/purge_all", PurgeAllAsync);
        service.MapPost("/purge", PurgeKeysAsync);
        service.MapPost("/purge/{key}", PurgeKeyAsync);
    }

    private Task PurgeUrlAsync(HttpContext context)
    {
        var target = context.Route("target").TrimEnd('/');
        if (target.Length == 0)
        {
            throw FastlyError.MethodNotAllowed();
        }

        var purgeId = Record(context, "url", target);
        return OkAsync(context, new JsonObject { ["status"] = "ok", ["id"] = purgeId });
    }

    private Task PurgeAllAsync(HttpContext context)
    {
        Record(context, "all", state.Locked(() => state.Get(context.Route("id")).Id));
        return OkAsync(context, Ok());
    }

    private Task PurgeKeyAsync(HttpContext context)
    {
        state.Locked(() => state.Get(context.Route("id")));
        var purgeId = Record(context, "key", context.Route("key"));
        return OkAsync(context, new JsonObject { ["status"] = "ok", ["id"] = purgeId });
    }

    private async Task PurgeKeysAsync(HttpContext context)
    {
        state.Locked(() => state.Get(context.Route("id")));
        var keys = new List<string>();
        if (context.Request.Headers.TryGetValue("Surrogate-Key", out var header))
        {
            keys.AddRange(header.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else if (await JsonBodyAsync(context).ConfigureAwait(false) is { } body && body["surrogate_keys"] is JsonArray array)
        {
            keys.AddRange(array.Select(k => k?.GetValue<string>() ?? ""));
        }

        if (keys.Count == 0)
        {
            throw FastlyError.BadRequest("No surrogate keys given (Surrogate-Key header or {\"surrogate_keys\": [...]}).");
        }

        if (keys.Count > MaxKeysPerRequest)
        {
            throw FastlyError.BadRequest($"Too many surrogate keys: {keys.Count} (at most {MaxKeysPerRequest} per request).");
        }

        var result = new JsonObject();
        foreach (var key in keys)
        {
            result[key] = Record(context, "key", key);
        }

        await OkAsync(context, result).ConfigureAwait(false);
    }

    private string Record(HttpContext context, string kind, string target)
    {
        // Fastly looks only at the header's presence: "Fastly-Soft-Purge: 0" is still soft.
        var soft = context.Request.Headers.ContainsKey("Fastly-Soft-Purge");
        return state.RecordPurge(kind, target, soft);
    }
}
