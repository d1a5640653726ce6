using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Cloudflare.CloudflareJson;

namespace Poppy.Sdk.Emulator.Cloudflare.Resources;

/// <summary>
/// <c>POST /zones/{zone_id}/purge_cache</c> with exactly one of <c>files</c> (URLs, or <c>{url, headers}</c>),
/// <c>tags</c>, <c>hosts</c>, <c>prefixes</c> (host and path, no scheme) or <c>purge_everything: true</c>.
/// At most 100 items per call (files: 500 on Enterprise), else 400. Paced per account by the plan's token
/// buckets: one for files counted in URLs, one for the other kinds counted in requests; an empty bucket
/// answers 429 with <c>Retry-After</c>. The answer's <c>result.id</c> is the zone id, as Cloudflare's.
/// </summary>
internal sealed class PurgeEndpoints(CloudflareState state)
{
    private const int MaxItems = 100;
    private static readonly string[] Kinds = ["files", "tags", "hosts", "prefixes", "purge_everything"];

    public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/zones/{zone_id}/purge_cache", PurgeAsync);

    private async Task PurgeAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var body = await BodyAsync(context).ConfigureAwait(false);
        var given = Kinds.Where(body.ContainsKey).ToList();
        if (given.Count != 1)
        {
            throw CloudflareError.BadRequest(1012, "Request must contain one of \"purge_everything\", \"files\", \"tags\", \"hosts\" or \"prefixes\"");
        }

        var kind = given[0];
        List<string> items;
        if (kind == "purge_everything")
        {
            if (body[kind]?.GetValueKind() != JsonValueKind.True)
            {
                throw CloudflareError.BadRequest(1012, "\"purge_everything\" must be true");
            }

            items = [];
        }
        else
        {
            if (body[kind] is not JsonArray array)
            {
                throw CloudflareError.BadRequest(1014, "\"files\", \"tags\", \"hosts\" or \"prefixes\" must be an array");
            }

            var max = kind == "files" ? state.MaxFilesPerPurge : MaxItems;
            if (array.Count == 0)
            {
                throw CloudflareError.BadRequest(1012, $"\"{kind}\" must not be empty");
            }

            if (array.Count > max)
            {
                throw CloudflareError.BadRequest(1019, $"Too many {kind} in one request: {array.Count} (at most {max})");
            }

            items = [.. array.Select(node => Item(kind, node))];
        }

        var wait = state.Locked(() => kind == "files" ? state.FilePurges.TryTake(items.Count) : state.FlexPurges.TryTake(1));
        if (wait is { } retryAfter)
        {
            throw CloudflareError.RateLimited(retryAfter, "purge");
        }

        state.Locked(() =>
        {
            state.Purges.Add(new CloudflarePurgeRecord(kind, items));
            return 0;
        });
        await OkAsync(context, new JsonObject { ["id"] = state.Options.ZoneId }).ConfigureAwait(false);
    }

    private static string Item(string kind, JsonNode? node)
    {
        if (kind == "files" && node is JsonObject file)
        {
            if (file["headers"] is { } headers && headers is not JsonObject)
            {
                throw CloudflareError.BadRequest(1016, "A file's \"headers\" must be an object");
            }

            node = file["url"];
        }

        if (node?.GetValueKind() != JsonValueKind.String || node.GetValue<string>() is not { Length: > 0 } value)
        {
            throw CloudflareError.BadRequest(1016, $"Each item of \"{kind}\" must be a non-empty string{(kind == "files" ? " or {\"url\", \"headers\"}" : "")}");
        }

        switch (kind)
        {
            case "files" when !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"):
                throw CloudflareError.BadRequest(1016, $"Invalid url: '{value}' (an absolute http or https URL is required)");
            case "prefixes" when value.Contains("://", StringComparison.Ordinal):
                throw CloudflareError.BadRequest(1016, $"Invalid prefix: '{value}' (a prefix is a host and path without a scheme)");
            case "prefixes" when !CustomHostnameEndpoints.IsHostname(value.Split('/')[0].ToLowerInvariant()):
                throw CloudflareError.BadRequest(1016, $"Invalid prefix: '{value}' (it must start with a host name)");
            case "hosts" when !CustomHostnameEndpoints.IsHostname(value.ToLowerInvariant()):
                throw CloudflareError.BadRequest(1016, $"Invalid host: '{value}'");
        }

        return value;
    }
}
