using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Fastly.FastlyJson;

namespace Poppy.Sdk.Emulator.Fastly.Resources;

/// <summary>
/// The objects a version holds — domains, backends, conditions, cache settings, headers, request
/// settings, response objects, ACLs, health checks, gzip — under
/// <c>/service/{id}/version/{v}/&lt;kind&gt;[/{name}]</c> (list, create, get, update, delete), and the
/// version's settings. Editing an active or locked version is a 400; duplicates 409; unknown records 404.
/// </summary>
internal sealed class VersionedObjectEndpoints(FastlyState state)
{
    /// <summary>The versioned object kinds, as path segments.</summary>
    private static readonly string[] Kinds =
        ["domain", "backend", "condition", "cache_settings", "header", "request_settings", "response_object", "acl", "healthcheck", "gzip"];

    public void Map(IEndpointRouteBuilder routes)
    {
        var version = routes.MapGroup("/service/{id}/version/{version:int}");
        foreach (var kind in Kinds)
        {
            version.MapGet("/" + kind, context => ListAsync(context, kind));
            version.MapPost("/" + kind, context => CreateAsync(context, kind));
            version.MapGet($"/{kind}/{{name}}", context => GetAsync(context, kind));
            version.MapPut($"/{kind}/{{name}}", context => UpdateAsync(context, kind));
            version.MapDelete($"/{kind}/{{name}}", context => DeleteAsync(context, kind));
        }

        version.MapGet("/settings", GetSettingsAsync);
        version.MapPut("/settings", UpdateSettingsAsync);
    }

    private Task ListAsync(HttpContext context, string kind) =>
        OkAsync(context, state.Locked(() =>
        {
            var (service, v) = Version(context, editable: false);
            return new JsonArray([.. v.List(kind).Select(o => (JsonNode)ObjectJson(kind, service, v, o))]);
        }));

    private async Task CreateAsync(HttpContext context, string kind)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var (service, v) = Version(context, editable: true);
            if (!form.TryGetValue("name", out var objectName) || string.IsNullOrEmpty(objectName))
            {
                throw FastlyError.BadRequest("Name can't be blank.");
            }

            var objects = v.Kind(kind);
            if (objects.ContainsKey(objectName))
            {
                throw new FastlyError(409, "Duplicate record", $"Duplicate {kind}: '{objectName}'");
            }

            FastlyJson.Normalize(kind, form);
            if (kind == "acl")
            {
                form["id"] = state.NewId();
            }

            objects[objectName] = form;
            return ObjectJson(kind, service, v, form);
        })).ConfigureAwait(false);
    }

    private Task GetAsync(HttpContext context, string kind) =>
        OkAsync(context, state.Locked(() =>
        {
            var (service, v) = Version(context, editable: false);
            return ObjectJson(kind, service, v, Find(v, kind, context.Route("name")));
        }));

    private async Task UpdateAsync(HttpContext context, string kind)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var (service, v) = Version(context, editable: true);
            var name = context.Route("name");
            var existing = Find(v, kind, name);
            FastlyJson.Normalize(kind, form);
            foreach (var (k, value) in form)
            {
                existing[k] = value;
            }

            if (existing["name"] != name)
            {
                var objects = v.Kind(kind);
                objects.Remove(name);
                objects[existing["name"]] = existing;
            }

            return ObjectJson(kind, service, v, existing);
        })).ConfigureAwait(false);
    }

    private Task DeleteAsync(HttpContext context, string kind) =>
        OkAsync(context, state.Locked(() =>
        {
            var (_, v) = Version(context, editable: true);
            var name = context.Route("name");
            return v.Kind(kind).Remove(name) ? Ok() : throw FastlyError.NotFound($"Cannot find {kind} '{name}'");
        }));

    private Task GetSettingsAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() =>
        {
            var (service, v) = Version(context, editable: false);
            return SettingsJson(service, v);
        }));

    private async Task UpdateSettingsAsync(HttpContext context)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var (service, v) = Version(context, editable: true);
            FastlyJson.Normalize("settings", form);
            foreach (var (k, value) in form)
            {
                v.Settings[k] = value;
            }

            return SettingsJson(service, v);
        })).ConfigureAwait(false);
    }

    /// <summary>The service and version the route names. Call under the lock.</summary>
    private (FastlyService Service, FastlyVersion Version) Version(HttpContext context, bool editable)
    {
        var service = state.Get(context.Route("id"));
        var number = context.RouteInt("version");
        return (service, editable ? FastlyState.Editable(service, number) : FastlyState.GetVersion(service, number));
    }

    private static Dictionary<string, string> Find(FastlyVersion v, string kind, string name) =>
        v.Kind(kind).GetValueOrDefault(name) ?? throw FastlyError.NotFound($"Cannot find {kind} '{name}'");
}
