using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Fastly.FastlyJson;

namespace Poppy.Sdk.Emulator.Fastly.Resources;

/// <summary>
/// Versions of a service: list, create, get, update, clone (copies every versioned object and the
/// settings), activate (validates first; locks the version), deactivate, lock, validate.
/// </summary>
internal sealed class VersionEndpoints(FastlyState state)
{
    private static readonly string[] ConditionUsers = ["backend", "cache_settings", "header", "request_settings", "response_object"];
    private static readonly string[] ConditionFields = ["request_condition", "cache_condition", "response_condition"];

    public void Map(IEndpointRouteBuilder routes)
    {
        var versions = routes.MapGroup("/service/{id}/version");
        versions.MapGet("", ListAsync);
        versions.MapPost("", CreateAsync);
        versions.MapGet("/{version:int}", GetAsync);
        versions.MapPut("/{version:int}", UpdateAsync);
        versions.MapPut("/{version:int}/clone", context => Answer(context, Clone));
        versions.MapPut("/{version:int}/activate", context => Answer(context, Activate));
        versions.MapPut("/{version:int}/deactivate", context => Answer(context, Deactivate));
        versions.MapPut("/{version:int}/lock", context => Answer(context, Lock));
        versions.MapGet("/{version:int}/validate", ValidateAsync);
    }

    private Task ListAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() =>
        {
            var service = state.Get(context.Route("id"));
            return new JsonArray([.. service.Versions.Select(v => (JsonNode)VersionJson(service, v, withObjects: false))]);
        }));

    private Task CreateAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() =>
        {
            var service = state.Get(context.Route("id"));
            var version = new FastlyVersion(service.Versions.Count + 1);
            service.Versions.Add(version);
            return VersionJson(service, version, withObjects: false);
        }));

    private Task GetAsync(HttpContext context) =>
        Answer(context, (_, v) => v);

    private async Task UpdateAsync(HttpContext context)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var service = state.Get(context.Route("id"));
            var v = FastlyState.Editable(service, context.RouteInt("version"));
            v.Comment = form.GetValueOrDefault("comment", v.Comment);
            return VersionJson(service, v, withObjects: false);
        })).ConfigureAwait(false);
    }

    private static FastlyVersion Clone(FastlyService service, FastlyVersion source)
    {
        var copy = source.CloneAs(service.Versions.Count + 1);
        service.Versions.Add(copy);
        return copy;
    }

    private FastlyVersion Activate(FastlyService service, FastlyVersion v)
    {
        var problems = Validate(v);
        if (problems.Count > 0)
        {
            throw FastlyError.BadRequest("Version is invalid: " + string.Join("; ", problems));
        }

        foreach (var other in service.Versions)
        {
            other.Active = false;
        }

        v.Active = true;
        v.Locked = true;
        v.Deployed = true;
        service.Updated = state.Time.GetUtcNow();
        return v;
    }

    private static FastlyVersion Deactivate(FastlyService service, FastlyVersion v)
    {
        if (!v.Active)
        {
            throw FastlyError.BadRequest($"Version {v.Number} is not active.");
        }

        v.Active = false;
        return v;
    }

    private static FastlyVersion Lock(FastlyService service, FastlyVersion v)
    {
        v.Locked = true;
        return v;
    }

    private Task ValidateAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() =>
        {
            var problems = Validate(FastlyState.GetVersion(state.Get(context.Route("id")), context.RouteInt("version")));
            return new JsonObject
            {
                ["status"] = problems.Count == 0 ? "ok" : "error",
                ["msg"] = problems.Count == 0 ? null : string.Join("; ", problems),
                ["errors"] = new JsonArray([.. problems.Select(p => (JsonNode)JsonValue.Create(p))]),
                ["warnings"] = new JsonArray(),
                ["messages"] = new JsonArray(),
            };
        }));

    /// <summary>Runs an action on the version the route names, under the lock, and answers the version it returns.</summary>
    private Task Answer(HttpContext context, Func<FastlyService, FastlyVersion, FastlyVersion> action) =>
        OkAsync(context, state.Locked(() =>
        {
            var service = state.Get(context.Route("id"));
            var result = action(service, FastlyState.GetVersion(service, context.RouteInt("version")));
            return VersionJson(service, result, withObjects: false);
        }));

    /// <summary>What keeps a version from activating: no domain, no backend, a condition referred to but not defined.</summary>
    private static List<string> Validate(FastlyVersion v)
    {
        var problems = new List<string>();
        if (v.List("domain").Count == 0)
        {
            problems.Add("Version has no domain");
        }

        if (v.List("backend").Count == 0)
        {
            problems.Add("Version has no backend");
        }

        var conditions = v.Kind("condition");
        foreach (var kind in ConditionUsers)
        {
            foreach (var o in v.List(kind))
            {
                foreach (var field in ConditionFields)
                {
                    if (o.TryGetValue(field, out var c) && !string.IsNullOrEmpty(c) && !conditions.ContainsKey(c))
                    {
                        problems.Add($"{kind} '{o["name"]}' refers to a missing condition '{c}'");
                    }
                }
            }
        }

        return problems;
    }
}
