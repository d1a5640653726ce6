using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Fastly.FastlyJson;

namespace Poppy.Sdk.Emulator.Fastly.Resources;

/// <summary>Services: list (paged, <c>Link</c> header), create, search by name, get, details, update, delete.</summary>
internal sealed class ServiceEndpoints(FastlyState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        var services = routes.MapGroup("/service");
        services.MapGet("", ListAsync);
        services.MapPost("", CreateAsync);
        services.MapGet("/search", SearchAsync);
        services.MapGet("/{id}", GetAsync);
        services.MapPut("/{id}", UpdateAsync);
        services.MapDelete("/{id}", DeleteAsync);
        services.MapGet("/{id}/details", DetailsAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        var (page, perPage) = Paging(context.Request, defaultPerPage: 20, maxPerPage: 1000);
        JsonArray items;
        bool more;
        lock (state.Gate)
        {
            var ordered = state.Services.Values.OrderBy(x => x.Created).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
            if (context.Request.Query["direction"] == "descend")
            {
                ordered.Reverse();
            }

            items = new JsonArray([.. ordered.Skip((page - 1) * perPage).Take(perPage).Select(x => (JsonNode)ServiceJson(x, withVersions: true))]);
            more = ordered.Count > page * perPage;
        }

        if (more)
        {
            var next = $"{context.Request.Scheme}://{context.Request.Host}/service?page={page + 1}&per_page={perPage}";
            context.Response.Headers["Link"] = $"<{next}>; rel=\"next\"";
        }

        return OkAsync(context, items);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        if (!form.TryGetValue("name", out var name) || string.IsNullOrWhiteSpace(name))
        {
            throw FastlyError.BadRequest("Name can't be blank.");
        }

        var id = state.NewId();
        await OkAsync(context, state.Locked(() =>
        {
            var service = new FastlyService(id, name, form.GetValueOrDefault("comment", ""), form.GetValueOrDefault("type", "vcl"), state.Time.GetUtcNow());
            service.Versions.Add(new FastlyVersion(1));
            state.Services[service.Id] = service;
            return ServiceJson(service, withVersions: true);
        })).ConfigureAwait(false);
    }

    private Task SearchAsync(HttpContext context)
    {
        var name = context.Request.Query["name"].ToString();
        return OkAsync(context, state.Locked(() =>
        {
            var service = state.Services.Values.FirstOrDefault(x => x.Name == name) ?? throw FastlyError.NotFound($"Cannot find service '{name}'");
            return ServiceJson(service, withVersions: true);
        }));
    }

    private Task GetAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() => ServiceJson(state.Get(context.Route("id")), withVersions: true)));

    private async Task UpdateAsync(HttpContext context)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var service = state.Get(context.Route("id"));
            service.Name = form.GetValueOrDefault("name", service.Name);
            service.Comment = form.GetValueOrDefault("comment", service.Comment);
            return ServiceJson(service, withVersions: true);
        })).ConfigureAwait(false);
    }

    private Task DeleteAsync(HttpContext context)
    {
        lock (state.Gate)
        {
            var service = state.Get(context.Route("id"));
            if (service.Versions.Any(v => v.Active))
            {
                throw FastlyError.BadRequest("Cannot delete service with active version");
            }

            state.Services.Remove(service.Id);
        }

        return OkAsync(context, Ok());
    }

    private Task DetailsAsync(HttpContext context) =>
        OkAsync(context, state.Locked(() =>
        {
            var service = state.Get(context.Route("id"));
            var json = ServiceJson(service, withVersions: true);
            var active = service.Versions.FirstOrDefault(v => v.Active);
            json["active_version"] = active is null ? null : VersionJson(service, active, withObjects: true);
            json["version"] = VersionJson(service, service.Versions[^1], withObjects: true);
            return json;
        }));
}
