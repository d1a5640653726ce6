using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Akamai.AkamaiJson;

namespace Poppy.Sdk.Emulator.Akamai.Resources;

/// <summary>
/// Property versions (<c>/papi/v1/properties/{id}/versions</c>): list, latest (optionally <c>activatedOn</c>;
/// answered 200 with the version, as Akamai's Go client and scripts read it, where the spec documents a 302 to it),
/// get, create from a version (<c>createFromVersion</c>, <c>createFromVersionEtag</c>: 412 when stale); each
/// version's rule tree and hostnames, read and replaced with etags (<c>ETag</c>, <c>If-Match</c>: 412 when stale,
/// accepted when absent). A version once submitted for activation is no longer editable (403). Rule trees may be
/// PUT and read in a frozen rule format with <c>application/vnd.akamai.papirules.vYYYY-MM-DD+json</c>.
/// </summary>
internal sealed partial class VersionEndpoints(AkamaiState state)
{
    private const string RulesMediaPrefix = "application/vnd.akamai.papirules.";

    public void Map(IEndpointRouteBuilder routes)
    {
        var versions = routes.MapGroup("/papi/v1/properties/{propertyId}/versions");
        versions.MapGet("", ListAsync);
        versions.MapPost("", CreateAsync);
        versions.MapGet("/latest", LatestAsync);
        versions.MapGet("/{version}", GetAsync);
        versions.MapGet("/{version}/rules", GetRulesAsync);
        versions.MapPut("/{version}/rules", PutRulesAsync);
        versions.MapGet("/{version}/hostnames", GetHostnamesAsync);
        versions.MapPut("/{version}/hostnames", PutHostnamesAsync);
    }

    [GeneratedRegex("^application/vnd\\.akamai\\.papirules\\.(latest|v\\d{4}-\\d{2}-\\d{2})\\+json$", RegexOptions.IgnoreCase)]
    private static partial Regex RulesMediaType();

    private static AkamaiProperty PropertyOf(Papi p) => p.State.Property(p.Context.Request.RouteValues["propertyId"]?.ToString() ?? "");

    private JsonObject VersionsEnvelope(Papi p, AkamaiProperty property, IEnumerable<AkamaiVersion> versions)
    {
        var now = state.Time.GetUtcNow();
        return new JsonObject
        {
            ["propertyId"] = p.PropertyId(property),
            ["propertyName"] = property.Name,
            ["accountId"] = p.Account,
            ["contractId"] = p.Contract,
            ["groupId"] = p.Group,
            ["assetId"] = Id("aid", property.Id + 10_000_000, p.Prefixes),
            ["versions"] = Papi.Items(versions.Select(v => (JsonNode)p.VersionJson(property, v, now))),
        };
    }

    private Task ListAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            return OkAsync(context, VersionsEnvelope(p, property, Enumerable.Reverse(property.Versions)));
        }
    }

    private Task LatestAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var now = state.Time.GetUtcNow();
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var on = p.Query("activatedOn").ToUpperInvariant();
            var number = on switch
            {
                "" => property.Versions.Count,
                AkamaiState.Staging or AkamaiState.Production => state.ActiveVersion(property, on, now)
                    ?? throw AkamaiError.NotFound($"No version of prp_{property.Id} is active on {on}."),
                _ => throw AkamaiError.BadRequest($"activatedOn '{on}' is not STAGING or PRODUCTION."),
            };
            return VersionAsync(p, property, property.Versions[number - 1]);
        }
    }

    private Task GetAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            return VersionAsync(p, property, AkamaiState.Version(property, p.VersionNumber()));
        }
    }

    private Task VersionAsync(Papi p, AkamaiProperty property, AkamaiVersion version)
    {
        var json = VersionsEnvelope(p, property, [version]);
        p.Context.Response.Headers.ETag = Papi.Quoted(version.Etag);
        return OkAsync(p.Context, json);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var body = await ObjectBodyAsync(context).ConfigureAwait(false);
        var from = Number(body, "createFromVersion") ?? throw AkamaiError.BadRequest("The createFromVersion member is required.");
        var etag = Text(body, "createFromVersionEtag");
        int number;
        string propertyId;
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var source = AkamaiState.Version(property, (int)Math.Min(from, int.MaxValue));
            if (etag is not null && etag != source.Etag)
            {
                throw AkamaiError.PreconditionFailed(
                    $"createFromVersionEtag '{etag}' does not match version {source.Number}'s etag '{source.Etag}': the version changed since it was read.");
            }

            number = property.Versions.Count + 1;
            var copy = new AkamaiVersion(number, state.Time.GetUtcNow())
            {
                RuleFormat = source.RuleFormat,
                Rules = (JsonObject)source.Rules.DeepClone(),
                Hostnames = [.. source.Hostnames],
                Note = source.Note,
                RulesEtag = state.NewEtag(),
                HostnamesEtag = state.NewEtag(),
                Etag = state.NewEtag(),
            };
            property.Versions.Add(copy);
            propertyId = Id("prp", property.Id, p.Prefixes);
        }

        await CreatedAsync(context, "versionLink", p.Link($"properties/{propertyId}/versions/{number.ToString(CultureInfo.InvariantCulture)}")).ConfigureAwait(false);
    }

    private Task GetRulesAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var accept = context.Request.Headers.Accept.ToString();
        var format = RulesMediaType().Match(accept.Split(',')[0].Trim()) is { Success: true } m ? m.Groups[1].Value : null;
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var version = AkamaiState.Version(property, p.VersionNumber());
            var json = RulesJson(p, property, version, format ?? version.RuleFormat);
            context.Response.Headers.ETag = Papi.Quoted(version.RulesEtag);
            return WriteAsync(context, 200, json, format is null ? "application/json" : $"{RulesMediaPrefix}{format}+json");
        }
    }

    private async Task PutRulesAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        string? frozen = null;
        if (RulesMediaType().Match(mediaType) is { Success: true } m)
        {
            frozen = m.Groups[1].Value;
        }
        else if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw AkamaiError.Papi(415, "papi/v1/http/unsupported-media-type", "Unsupported Media Type",
                $"The Content-Type '{mediaType}' is not application/json or application/vnd.akamai.papirules.{{latest|vYYYY-MM-DD}}+json.");
        }

        var body = await ObjectBodyAsync(context).ConfigureAwait(false);
        if (body["rules"] is not JsonObject rules || Text(rules, "name") != "default")
        {
            throw AkamaiError.BadRequest("The body must be {\"rules\": {...}} with a top-level rule named 'default'.");
        }

        var dryRun = string.Equals(p.Query("dryRun"), "true", StringComparison.OrdinalIgnoreCase);
        JsonObject answer;
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var version = Editable(property, p.VersionNumber());
            p.CheckIfMatch(version.RulesEtag);
            var target = dryRun ? new AkamaiVersion(version.Number, version.Updated) { RuleFormat = version.RuleFormat, RulesEtag = version.RulesEtag } : version;
            target.Rules = (JsonObject)rules.DeepClone();
            if (frozen is not null)
            {
                target.RuleFormat = frozen;
            }

            if (!dryRun)
            {
                version.RulesEtag = state.NewEtag();
                version.Etag = state.NewEtag();
                version.Updated = state.Time.GetUtcNow();
            }

            var json = RulesJson(p, property, target, target.RuleFormat);
            if (Errors(state, target.Rules) is { Count: > 0 } errors)
            {
                json["errors"] = errors;
            }

            context.Response.Headers.ETag = Papi.Quoted(target.RulesEtag);
            answer = json;
        }

        await OkAsync(context, answer).ConfigureAwait(false);
    }

    private Task GetHostnamesAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var version = AkamaiState.Version(property, p.VersionNumber());
            context.Response.Headers.ETag = Papi.Quoted(version.HostnamesEtag);
            return OkAsync(context, HostnamesJson(p, property, version));
        }
    }

    private async Task PutHostnamesAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        if (await BodyAsync(context).ConfigureAwait(false) is not JsonArray items)
        {
            throw AkamaiError.BadRequest("The body must be a JSON array of hostnames.");
        }

        JsonObject answer;
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var version = Editable(property, p.VersionNumber());
            p.CheckIfMatch(version.HostnamesEtag);
            var now = state.Time.GetUtcNow();
            var hostnames = new List<AkamaiHostname>();
            foreach (var item in items)
            {
                var cnameType = Text(item, "cnameType") ?? "EDGE_HOSTNAME";
                var from = Text(item, "cnameFrom");
                var certType = Text(item, "certProvisioningType") ?? "CPS_MANAGED";
                if (cnameType != "EDGE_HOSTNAME")
                {
                    throw AkamaiError.BadRequest($"cnameType '{cnameType}' is not EDGE_HOSTNAME.");
                }

                if (string.IsNullOrWhiteSpace(from))
                {
                    throw AkamaiError.BadRequest("Every hostname needs a cnameFrom.");
                }

                if (certType is not ("CPS_MANAGED" or "DEFAULT"))
                {
                    throw AkamaiError.BadRequest($"certProvisioningType '{certType}' is not CPS_MANAGED or DEFAULT.");
                }

                var edge = FindEdgeHostname(Text(item, "edgeHostnameId"), Text(item, "cnameTo"))
                    ?? throw AkamaiError.BadRequest($"The edge hostname for '{from}' ({Text(item, "edgeHostnameId") ?? Text(item, "cnameTo") ?? "none given"}) does not exist; create it first.");
                if (certType == "DEFAULT" && edge.SecureNetwork != "ENHANCED_TLS")
                {
                    throw AkamaiError.BadRequest($"certProvisioningType DEFAULT needs an Enhanced TLS edge hostname (edgekey.net); '{edge.Domain}' is not one.");
                }

                if (hostnames.Exists(h => string.Equals(h.CnameFrom, from, StringComparison.OrdinalIgnoreCase)))
                {
                    throw AkamaiError.BadRequest($"The hostname '{from}' is listed twice.");
                }

                var previous = version.Hostnames.Find(h => string.Equals(h.CnameFrom, from, StringComparison.OrdinalIgnoreCase) && h.CertProvisioningType == certType);
                hostnames.Add(new AkamaiHostname(from.ToLowerInvariant(), edge.Id, edge.Domain, certType, previous?.Set ?? now));
            }

            version.Hostnames = hostnames;
            version.HostnamesEtag = state.NewEtag();
            version.Etag = state.NewEtag();
            version.Updated = now;
            context.Response.Headers.ETag = Papi.Quoted(version.HostnamesEtag);
            answer = HostnamesJson(p, property, version);
        }

        await OkAsync(context, answer).ConfigureAwait(false);
    }

    /// <summary>A version that may still be edited: never submitted for activation.</summary>
    private AkamaiVersion Editable(AkamaiProperty property, int number)
    {
        var version = AkamaiState.Version(property, number);
        return AkamaiState.EverActivated(property, number)
            ? throw AkamaiError.Forbidden($"Version {number} of prp_{property.Id} has been activated and can no longer be edited; create a new version from it.")
            : version;
    }

    private AkamaiEdgeHostname? FindEdgeHostname(string? id, string? domain) =>
        id is not null
            ? BareNumber("ehn", id) is { } n ? state.EdgeHostnames.GetValueOrDefault(n) : null
            : state.EdgeHostnames.Values.FirstOrDefault(e => string.Equals(e.Domain, domain, StringComparison.OrdinalIgnoreCase));

    private JsonObject RulesJson(Papi p, AkamaiProperty property, AkamaiVersion version, string format) => p.Envelope(
        ("propertyId", p.PropertyId(property)),
        ("propertyVersion", version.Number),
        ("etag", version.RulesEtag),
        ("ruleFormat", format),
        ("rules", version.Rules.DeepClone()));

    private JsonObject HostnamesJson(Papi p, AkamaiProperty property, AkamaiVersion version)
    {
        var now = state.Time.GetUtcNow();
        return p.Envelope(
            ("propertyId", p.PropertyId(property)),
            ("propertyVersion", version.Number),
            ("etag", version.HostnamesEtag),
            ("hostnames", Papi.Items(version.Hostnames.Select(h => (JsonNode)HostnameJson(p, h, now)))));
    }

    /// <summary>
    /// A hostname as PAPI writes it; a <c>DEFAULT</c> (Akamai-managed DV) certificate carries its <c>certStatus</c>:
    /// the ACME validation CNAME to publish, and per network <c>PENDING</c> until the deploy delay has passed, then
    /// <c>DEPLOYED</c>.
    /// </summary>
    private JsonObject HostnameJson(Papi p, AkamaiHostname h, DateTimeOffset now)
    {
        var json = new JsonObject
        {
            ["cnameType"] = "EDGE_HOSTNAME",
            ["edgeHostnameId"] = Id("ehn", h.EdgeHostnameId, p.Prefixes),
            ["cnameFrom"] = h.CnameFrom,
            ["cnameTo"] = h.CnameTo,
            ["certProvisioningType"] = h.CertProvisioningType,
        };
        if (h.CertProvisioningType == "DEFAULT")
        {
            var token = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(h.CnameFrom)))[..20].ToLowerInvariant();
            var status = now - h.Set >= state.DeployDelay ? "DEPLOYED" : "PENDING";
            json["certStatus"] = new JsonObject
            {
                ["validationCname"] = new JsonObject { ["hostname"] = "_acme-challenge." + h.CnameFrom, ["target"] = $"{token}.{h.CnameFrom}.akamai-domain.com" },
                ["staging"] = new JsonArray(new JsonObject { ["status"] = status }),
                ["production"] = new JsonArray(new JsonObject { ["status"] = status }),
            };
        }

        return json;
    }

    /// <summary>
    /// The validation errors PAPI embeds when the default rule lacks its required behaviors, or its <c>cpCode</c>
    /// names a CP code the account does not have. Call under the lock.
    /// </summary>
    public static JsonArray Errors(AkamaiState state, JsonObject rules)
    {
        var errors = new JsonArray();
        var behaviors = rules["behaviors"] as JsonArray ?? [];
        var names = behaviors.Select(b => Text(b, "name")).ToHashSet(StringComparer.Ordinal);
        if (behaviors.FirstOrDefault(b => Text(b, "name") == "cpCode") is { } cpCode
            && !(Number(cpCode["options"]?["value"], "id") is { } id && state.CpCodes.ContainsKey(id)))
        {
            errors.Add(new JsonObject
            {
                ["type"] = "/papi/v1/errors/validation.cp_code_not_found",
                ["title"] = "CP code not found",
                ["detail"] = $"The cpCode behavior names CP code {cpCode["options"]?["value"]?["id"]?.ToJsonString() ?? "(none)"}, which does not exist on this contract.",
                ["behaviorName"] = "cpCode",
            });
        }

        foreach (var (name, label) in new[] { ("cpCode", "Content Provider Code"), ("origin", "Origin") })
        {
            if (!names.Contains(name))
            {
                errors.Add(new JsonObject
                {
                    ["type"] = "/papi/v1/errors/validation.required_behavior",
                    ["title"] = "Missing required behavior in default rule",
                    ["detail"] = $"In order for this property to work correctly behavior {label} needs to be present in the default section",
                    ["behaviorName"] = name,
                });
            }
        }

        return errors;
    }
}
