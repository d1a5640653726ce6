using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Fastly.FastlyJson;

namespace Poppy.Sdk.Emulator.Fastly.Resources;

/// <summary>
/// ACL entries, versionless as at Fastly (the ACLs themselves are versioned objects): paged list, bulk
/// <c>PATCH</c> (create and delete, at most 1,000 per batch), create, get and delete one entry.
/// </summary>
internal sealed class AclEndpoints(FastlyState state)
{
    private static readonly string[] EntryFields = ["ip", "subnet", "negated", "comment"];

    public void Map(IEndpointRouteBuilder routes)
    {
        var acl = routes.MapGroup("/service/{id}/acl/{acl}");
        acl.MapGet("/entries", ListAsync);
        acl.MapPatch("/entries", PatchAsync);
        acl.MapPost("/entry", CreateAsync);
        acl.MapGet("/entry/{entry}", GetAsync);
        acl.MapDelete("/entry/{entry}", DeleteAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        var (page, perPage) = Paging(context.Request, defaultPerPage: 100, maxPerPage: int.MaxValue);
        var more = false;
        var items = state.Locked(() =>
        {
            var all = Entries(context).Values.ToList();
            more = all.Count > page * perPage;
            return new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(e => (JsonNode)EntryJson(context, e))]);
        });
        if (more)
        {
            context.Response.Headers["Link"] = $"<{context.Request.Scheme}://{context.Request.Host}/service/{context.Route("id")}/acl/{context.Route("acl")}/entries?page={page + 1}&per_page={perPage}>; rel=\"next\"";
        }

        return OkAsync(context, items);
    }

    private async Task PatchAsync(HttpContext context)
    {
        var body = await JsonBodyAsync(context).ConfigureAwait(false);
        var ops = body?["entries"] as JsonArray ?? throw FastlyError.BadRequest("Expected {\"entries\": [...]}.");
        if (ops.Count > 1000)
        {
            throw FastlyError.BadRequest("At most 1000 entries per batch.");
        }

        lock (state.Gate)
        {
            var entries = Entries(context);
            foreach (var op in ops.OfType<JsonObject>())
            {
                switch (op["op"]?.GetValue<string>())
                {
                    case "create":
                        var entry = new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = state.NewId() };
                        foreach (var field in EntryFields)
                        {
                            if (op[field] is { } node)
                            {
                                entry[field] = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                            }
                        }

                        entries[entry["id"]] = entry;
                        break;
                    case "delete":
                        entries.Remove(op["id"]?.GetValue<string>() ?? "");
                        break;
                    default:
                        throw FastlyError.BadRequest("Each entry needs op 'create' or 'delete'.");
                }
            }
        }

        await OkAsync(context, Ok()).ConfigureAwait(false);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var entries = Entries(context);
            form["id"] = state.NewId();
            entries[form["id"]] = form;
            return EntryJson(context, form);
        })).ConfigureAwait(false);
    }

    private Task GetAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() => EntryJson(context, Entries(context).GetValueOrDefault(context.Route("entry")) ?? throw FastlyError.NotFound("Cannot find entry"))));

    private Task DeleteAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() => Entries(context).Remove(context.Route("entry")) ? Ok() : throw FastlyError.NotFound("Cannot find entry")));

    /// <summary>The entries of the ACL the route names (an ACL of any version of the service). Call under the lock.</summary>
    private Dictionary<string, Dictionary<string, string>> Entries(HttpContext context)
    {
        var service = state.Get(context.Route("id"));
        var aclId = context.Route("acl");
        if (!service.Versions.Any(v => v.List("acl").Any(a => a.GetValueOrDefault("id") == aclId)))
        {
            throw FastlyError.NotFound($"Cannot find ACL '{aclId}'");
        }

        if (!service.AclEntries.TryGetValue(aclId, out var entries))
        {
            service.AclEntries[aclId] = entries = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        }

        return entries;
    }

    private static JsonObject EntryJson(HttpContext context, Dictionary<string, string> entry) =>
        Typed(entry, new JsonObject { ["service_id"] = context.Route("id"), ["acl_id"] = context.Route("acl") });
}
