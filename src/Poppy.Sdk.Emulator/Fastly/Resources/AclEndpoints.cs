using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Fastly.FastlyJson;

namespace Poppy.Sdk.Emulator.Fastly.Resources;

/// <summary>
/// ACL entries, versionless as at Fastly (the ACLs themselves are versioned objects): paged list, bulk
/// <c>PATCH</c> (<c>create</c>, <c>update</c> and <c>delete</c>, at most 1,000 per batch, all or nothing), create,
/// get, update (<c>PATCH</c>) and delete one entry. <c>negated</c> is 0 or 1 and <c>subnet</c> a number, as Fastly's model types them.
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
        acl.MapPatch("/entry/{entry}", UpdateAsync);
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
            // Checked in full before anything changes: a bad operation leaves the ACL as it was.
            var entries = Entries(context);
            var changes = new List<(string Op, string Id, Dictionary<string, string> Fields)>();
            foreach (var op in ops)
            {
                if (op is not JsonObject item)
                {
                    throw FastlyError.BadRequest("Each entry must be an object.");
                }

                var kind = Text(item["op"]);
                var id = Text(item["id"]) ?? "";
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var field in EntryFields)
                {
                    if (Text(item[field]) is { } value)
                    {
                        fields[field] = value;
                    }
                }

                Normalize("acl_entry", fields);
                switch (kind)
                {
                    case "create":
                        changes.Add((kind, state.NewId(), fields));
                        break;
                    case "update" when id.Length == 0:
                        throw FastlyError.BadRequest("An 'update' needs the entry's id.");
                    case "update" when !entries.ContainsKey(id):
                        throw FastlyError.NotFound($"Cannot find entry '{id}'");
                    case "update":
                    case "delete":
                        changes.Add((kind, id, fields));
                        break;
                    default:
                        throw FastlyError.BadRequest("Each entry needs op 'create', 'update' or 'delete'.");
                }
            }

            foreach (var (kind, id, fields) in changes)
            {
                switch (kind)
                {
                    case "create":
                        fields["id"] = id;
                        entries[id] = fields;
                        break;
                    case "update" when entries.TryGetValue(id, out var entry):
                        foreach (var (k, value) in fields)
                        {
                            entry[k] = value;
                        }

                        break;
                    case "update":
                        break; // deleted earlier in the same batch
                    default:
                        entries.Remove(id);
                        break;
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
            Normalize("acl_entry", form);
            form["id"] = state.NewId();
            entries[form["id"]] = form;
            return EntryJson(context, form);
        })).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var entry = Entries(context).GetValueOrDefault(context.Route("entry")) ?? throw FastlyError.NotFound("Cannot find entry");
            Normalize("acl_entry", form);
            foreach (var field in EntryFields)
            {
                if (form.TryGetValue(field, out var value))
                {
                    entry[field] = value;
                }
            }

            return EntryJson(context, entry);
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

    /// <summary>A JSON value as the string it is stored as (numbers and booleans by their JSON text), or null.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static JsonObject EntryJson(HttpContext context, Dictionary<string, string> entry) =>
        Typed("acl_entry", entry, new JsonObject { ["service_id"] = context.Route("id"), ["acl_id"] = context.Route("acl") });
}
