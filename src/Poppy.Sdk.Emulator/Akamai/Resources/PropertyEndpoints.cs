using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Akamai.AkamaiJson;

namespace Poppy.Sdk.Emulator.Akamai.Resources;

/// <summary>
/// Properties (<c>/papi/v1/properties</c>): list, create (version 1 with an empty default rule), get, delete
/// (refused with 500 while a version is active or pending on either network), and
/// <c>POST /papi/v1/search/find-by-value</c> by <c>propertyName</c>, <c>hostname</c> or <c>edgeHostname</c>.
/// </summary>
internal sealed partial class PropertyEndpoints(AkamaiState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        var properties = routes.MapGroup("/papi/v1/properties");
        properties.MapGet("", ListAsync);
        properties.MapPost("", CreateAsync);
        properties.MapGet("/{propertyId}", GetAsync);
        properties.MapDelete("/{propertyId}", DeleteAsync);
        routes.MapPost("/papi/v1/search/find-by-value", FindByValueAsync);
    }

    /// <summary>A new version's default rule tree.</summary>
    public static JsonObject DefaultRules() => new()
    {
        ["name"] = "default",
        ["options"] = new JsonObject { ["is_secure"] = false },
        ["criteria"] = new JsonArray(),
        ["behaviors"] = new JsonArray(),
        ["children"] = new JsonArray(),
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,85}$")]
    private static partial Regex PropertyName();

    [GeneratedRegex("^(latest|v\\d{4}-\\d{2}-\\d{2})$")]
    public static partial Regex RuleFormat();

    private Task ListAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        var now = state.Time.GetUtcNow();
        lock (state.Gate)
        {
            return OkAsync(context, new JsonObject { ["properties"] = Papi.Items(state.Properties.Values.OrderBy(x => x.Id).Select(x => (JsonNode)p.PropertyJson(x, now))) });
        }
    }

    private Task GetAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var now = state.Time.GetUtcNow();
        lock (state.Gate)
        {
            var property = state.Property(context.Request.RouteValues["propertyId"]?.ToString() ?? "");
            return OkAsync(context, new JsonObject { ["properties"] = Papi.Items([p.PropertyJson(property, now)]) });
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        var body = await ObjectBodyAsync(context).ConfigureAwait(false);
        if (body["cloneFrom"] is not null)
        {
            throw AkamaiError.BadRequest("cloneFrom is not supported by the emulator; create the property and PUT its rules.");
        }

        var product = p.Product(Text(body, "productId"));
        var name = Text(body, "propertyName") ?? "";
        if (!PropertyName().IsMatch(name))
        {
            throw AkamaiError.BadRequest($"The propertyName '{name}' is invalid: use 1 to 85 letters, digits, dots, underscores or hyphens.");
        }

        var ruleFormat = Text(body, "ruleFormat") ?? "latest";
        if (!RuleFormat().IsMatch(ruleFormat))
        {
            throw AkamaiError.BadRequest($"The ruleFormat '{ruleFormat}' is not 'latest' or a dated format (vYYYY-MM-DD).");
        }

        long id;
        lock (state.Gate)
        {
            if (state.Properties.Values.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw AkamaiError.BadRequest($"A property named '{name}' already exists.");
            }

            var now = state.Time.GetUtcNow();
            id = state.NewId();
            var property = new AkamaiProperty(id, name, product, ruleFormat, now);
            var version = new AkamaiVersion(1, now) { RuleFormat = ruleFormat, Rules = DefaultRules() };
            version.RulesEtag = state.NewEtag();
            version.HostnamesEtag = state.NewEtag();
            version.Etag = state.NewEtag();
            property.Versions.Add(version);
            state.Properties[id] = property;
        }

        await CreatedAsync(context, "propertyLink", p.Link("properties/" + Id("prp", id, p.Prefixes))).ConfigureAwait(false);
    }

    private Task DeleteAsync(HttpContext context)
    {
        new Papi(state, context).RequireContractAndGroup(required: false);
        var now = state.Time.GetUtcNow();
        lock (state.Gate)
        {
            var property = state.Property(context.Request.RouteValues["propertyId"]?.ToString() ?? "");
            foreach (var network in new[] { AkamaiState.Staging, AkamaiState.Production })
            {
                if (state.ActiveVersion(property, network, now) is not null || state.Pending(property, network, now) is not null)
                {
                    throw AkamaiError.Papi(
                        500,
                        "papi/proxy/internal-server-error",
                        "Internal Server Error",
                        $"The property prp_{property.Id} cannot be deleted while a version is active or activating on {network}; deactivate it first.");
                }
            }

            state.Properties.Remove(property.Id);
        }

        return OkAsync(context, new JsonObject { ["message"] = "Deletion Successful." });
    }

    private async Task FindByValueAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var body = await ObjectBodyAsync(context).ConfigureAwait(false);
        var byName = Text(body, "propertyName");
        var byHostname = Text(body, "hostname");
        var byEdgeHostname = Text(body, "edgeHostname");
        if ((byName is null ? 0 : 1) + (byHostname is null ? 0 : 1) + (byEdgeHostname is null ? 0 : 1) != 1)
        {
            throw AkamaiError.BadRequest("Give exactly one of propertyName, hostname, edgeHostname.");
        }

        var now = state.Time.GetUtcNow();
        var items = new List<JsonNode>();
        lock (state.Gate)
        {
            foreach (var property in state.Properties.Values.OrderBy(x => x.Id))
            {
                // The latest version and the versions active on each network, as Akamai lists them.
                var numbers = new SortedSet<int>(Comparer<int>.Create((a, b) => b.CompareTo(a))) { property.Versions.Count };
                if (state.ActiveVersion(property, AkamaiState.Staging, now) is { } s)
                {
                    numbers.Add(s);
                }

                if (state.ActiveVersion(property, AkamaiState.Production, now) is { } pr)
                {
                    numbers.Add(pr);
                }

                foreach (var number in numbers)
                {
                    var version = property.Versions[number - 1];
                    var match = byName is not null
                        ? string.Equals(property.Name, byName, StringComparison.Ordinal)
                        : version.Hostnames.Any(h => byHostname is not null
                            ? string.Equals(h.CnameFrom, byHostname, StringComparison.OrdinalIgnoreCase)
                            : string.Equals(h.CnameTo, byEdgeHostname, StringComparison.OrdinalIgnoreCase));
                    if (!match)
                    {
                        continue;
                    }

                    var item = p.VersionJson(property, version, now);
                    item.Remove("etag");
                    item.Remove("ruleFormat");
                    item.Remove("note");
                    item.Remove("productId");
                    item["accountId"] = p.Account;
                    item["assetId"] = Id("aid", property.Id + 10_000_000, p.Prefixes);
                    item["contractId"] = p.Contract;
                    item["groupId"] = p.Group;
                    item["propertyId"] = p.PropertyId(property);
                    item["propertyName"] = property.Name;
                    if (byHostname is not null || byEdgeHostname is not null)
                    {
                        var h = version.Hostnames.First(h => byHostname is not null
                            ? string.Equals(h.CnameFrom, byHostname, StringComparison.OrdinalIgnoreCase)
                            : string.Equals(h.CnameTo, byEdgeHostname, StringComparison.OrdinalIgnoreCase));
                        item["hostname"] = h.CnameFrom;
                        item["edgeHostname"] = h.CnameTo;
                    }

                    items.Add(item);
                }
            }
        }

        await OkAsync(context, new JsonObject { ["versions"] = Papi.Items(items) }).ConfigureAwait(false);
    }
}
