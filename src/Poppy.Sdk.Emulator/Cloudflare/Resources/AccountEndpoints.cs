using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Cloudflare.CloudflareJson;

namespace Poppy.Sdk.Emulator.Cloudflare.Resources;

/// <summary>The token and the zone: <c>GET /user/tokens/verify</c>, <c>GET /zones</c> (paged, <c>name</c>, <c>account.id</c>, <c>status</c> filters), <c>GET /zones/{zone_id}</c>.</summary>
internal sealed class AccountEndpoints(CloudflareState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/user/tokens/verify", VerifyAsync);
        routes.MapGet("/zones", ListZonesAsync);
        routes.MapGet("/zones/{zone_id}", GetZoneAsync);
    }

    private Task VerifyAsync(HttpContext context) =>
        OkAsync(
            context,
            new JsonObject { ["id"] = TokenId(), ["status"] = "active" },
            messages: [new JsonObject { ["code"] = 10000, ["message"] = "This API Token is valid and active", ["type"] = null }]);

    private Task ListZonesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var zones = new List<JsonObject> { ZoneJson() };
        zones.RemoveAll(z =>
            (query["name"].Count > 0 && query["name"].ToString() != z["name"]!.GetValue<string>())
            || (query["account.id"].Count > 0 && query["account.id"].ToString() != state.Options.AccountId)
            || (query["status"].Count > 0 && query["status"].ToString() != "active"));
        var (page, info) = Paged(context.Request, zones, z => z, defaultPerPage: 20, maxPerPage: 50);
        return OkAsync(context, page, info);
    }

    private Task GetZoneAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        return OkAsync(context, ZoneJson());
    }

    private JsonObject ZoneJson()
    {
        var created = Stamp(state.ZoneCreated);
        var plan = state.Options.Plan.ToString().ToLowerInvariant();
        return new JsonObject
        {
            ["id"] = state.Options.ZoneId,
            ["name"] = state.Options.ZoneName,
            ["status"] = "active",
            ["paused"] = false,
            ["type"] = "full",
            ["development_mode"] = 0,
            ["name_servers"] = new JsonArray("ada.ns.cloudflare.com", "bob.ns.cloudflare.com"),
            ["original_name_servers"] = null,
            ["original_registrar"] = null,
            ["original_dnshost"] = null,
            ["created_on"] = created,
            ["modified_on"] = created,
            ["activated_on"] = created,
            ["meta"] = new JsonObject { ["custom_certificate_quota"] = 0, ["page_rule_quota"] = 0, ["phishing_detected"] = false },
            ["owner"] = new JsonObject { ["id"] = null, ["type"] = "organization", ["name"] = null },
            ["account"] = new JsonObject { ["id"] = state.Options.AccountId, ["name"] = "Emulated account" },
            ["permissions"] = new JsonArray(),
            ["plan"] = new JsonObject
            {
                ["id"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("plan:" + plan)))[..32].ToLowerInvariant(),
                ["name"] = state.Options.Plan + " Website",
                ["price"] = 0,
                ["currency"] = "USD",
                ["frequency"] = "",
                ["is_subscribed"] = true,
                ["can_subscribe"] = false,
                ["legacy_id"] = plan,
                ["legacy_discount"] = false,
                ["externally_managed"] = false,
            },
        };
    }

    private string TokenId() => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(state.Options.ApiToken)))[..32].ToLowerInvariant();
}
