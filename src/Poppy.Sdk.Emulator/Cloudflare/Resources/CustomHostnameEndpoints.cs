using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Cloudflare.CloudflareJson;

namespace Poppy.Sdk.Emulator.Cloudflare.Resources;

/// <summary>
/// Cloudflare for SaaS custom hostnames on the zone: create (duplicate host names refused), list (paged, filters
/// <c>id</c>, <c>hostname</c>, <c>hostname.exact</c>, <c>hostname.contain</c>, <c>hostname.startsWith</c>), get,
/// edit (<c>PATCH</c>), delete (a bare <c>{"id": …}</c>, no envelope, as the real API answers); and the
/// zone's fallback origin (<c>GET</c>, <c>PUT</c>, <c>DELETE</c>). A hostname and its DV certificate stay
/// <c>pending</c> / <c>pending_validation</c>, with their ownership and validation records, until validated.
/// </summary>
internal sealed partial class CustomHostnameEndpoints(CloudflareState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        var zone = routes.MapGroup("/zones/{zone_id}/custom_hostnames");
        zone.MapGet("/fallback_origin", GetFallbackAsync);
        zone.MapPut("/fallback_origin", PutFallbackAsync);
        zone.MapDelete("/fallback_origin", DeleteFallbackAsync);
        zone.MapPost("", CreateAsync);
        zone.MapGet("", ListAsync);
        zone.MapGet("/{id}", GetAsync);
        zone.MapPatch("/{id}", EditAsync);
        zone.MapDelete("/{id}", DeleteAsync);
    }

    /// <summary>The <c>custom_origin_sni</c> value that sends the request's Host header as SNI.</summary>
    public const string RequestHostHeaderSni = ":request_host_header:";

    /// <summary>Whether <paramref name="name"/> is a fully qualified host name Cloudflare accepts.</summary>
    public static bool IsHostname(string name) => name.Length <= 253 && HostnamePattern().IsMatch(name);

    private async Task CreateAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var body = await BodyAsync(context).ConfigureAwait(false);
        var hostname = String(body, "hostname", 1411)?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(hostname) || !IsHostname(hostname))
        {
            throw CloudflareError.BadRequest(1411, "Invalid custom hostname. Custom hostnames must be a valid fully qualified domain name.");
        }

        if (hostname == state.Options.ZoneName || hostname.EndsWith("." + state.Options.ZoneName, StringComparison.Ordinal))
        {
            throw CloudflareError.BadRequest(1411, "Invalid custom hostname. A custom hostname cannot be on the zone it is attached to.");
        }

        var now = state.Time.GetUtcNow();
        var h = new CloudflareCustomHostname
        {
            Id = state.NewId(),
            Hostname = hostname,
            Created = now,
            SslId = state.NewId(),
            OwnershipToken = Guid.NewGuid().ToString(),
            ValidationToken = state.NewId(),
            ValidationStarted = now,
        };
        Apply(h, body, creating: true);
        await OkAsync(context, state.Locked(() =>
        {
            if (state.CustomHostnames.Exists(x => x.Hostname == hostname))
            {
                throw new CloudflareError(409, 1406, "Duplicate custom hostname found.");
            }

            state.CustomHostnames.Add(h);
            return Json(h);
        })).ConfigureAwait(false);
    }

    private Task ListAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var query = context.Request.Query;
        var filters = new List<Func<CloudflareCustomHostname, bool>>();
        void Filter(string name, Func<CloudflareCustomHostname, string, bool> match)
        {
            if (query[name].Count > 0)
            {
                var value = query[name].ToString().ToLowerInvariant();
                filters.Add(h => match(h, value));
            }
        }

        Filter("id", (h, v) => h.Id == v);
        Filter("hostname", (h, v) => h.Hostname == v);
        Filter("hostname.exact", (h, v) => h.Hostname == v);
        Filter("hostname.contain", (h, v) => h.Hostname.Contains(v, StringComparison.Ordinal));
        Filter("hostname.startsWith", (h, v) => h.Hostname.StartsWith(v, StringComparison.Ordinal));
        if (filters.Count > 1)
        {
            throw CloudflareError.BadRequest(1400, "Only one of 'id', 'hostname', 'hostname.exact', 'hostname.contain' and 'hostname.startsWith' may be given.");
        }

        return state.Locked(() =>
        {
            var items = state.CustomHostnames.Where(h => filters.TrueForAll(f => f(h))).ToList();
            if (query["direction"] == "desc")
            {
                items.Reverse();
            }

            var (page, info) = Paged(context.Request, items, h => Json(h), defaultPerPage: 20, maxPerPage: 50);
            return OkAsync(context, page, info);
        });
    }

    private Task GetAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        return OkAsync(context, state.Locked(() => Json(Find(context.Route("id")))));
    }

    private async Task EditAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var body = await BodyAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var h = Find(context.Route("id"));
            if (String(body, "hostname", 1411) is { } hostname && !string.Equals(hostname.TrimEnd('.'), h.Hostname, StringComparison.OrdinalIgnoreCase))
            {
                throw CloudflareError.BadRequest(1411, "The hostname of a custom hostname cannot be changed; delete it and create another.");
            }

            Apply(h, body, creating: false);
            return Json(h);
        })).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var id = state.Locked(() =>
        {
            var h = Find(context.Route("id"));
            state.CustomHostnames.Remove(h);
            return h.Id;
        });

        // The real API answers a bare object here, not the v4 envelope.
        await WriteAsync(context, 200, new JsonObject { ["id"] = id }).ConfigureAwait(false);
    }

    private Task GetFallbackAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        return OkAsync(context, state.Locked(() => FallbackJson(state.FallbackOrigin ?? throw FallbackNotFound(), null)));
    }

    private async Task PutFallbackAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var body = await BodyAsync(context).ConfigureAwait(false);
        var origin = String(body, "origin", 1552)?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(origin) || !IsHostname(origin))
        {
            throw CloudflareError.BadRequest(1552, "The fallback origin must be a valid host name.");
        }

        await OkAsync(context, state.Locked(() =>
        {
            var now = state.Time.GetUtcNow();
            var f = state.FallbackOrigin ??= new CloudflareFallbackOrigin { Origin = origin, Created = now };
            f.Origin = origin;
            f.Updated = now;
            return FallbackJson(f, null);
        })).ConfigureAwait(false);
    }

    private Task DeleteFallbackAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        return OkAsync(context, state.Locked(() =>
        {
            var f = state.FallbackOrigin ?? throw FallbackNotFound();
            state.FallbackOrigin = null;
            return FallbackJson(f, "pending_deletion");
        }));
    }

    private static CloudflareError FallbackNotFound() => CloudflareError.NotFound(1551, "No fallback origin is set for this zone.");

    private JsonObject FallbackJson(CloudflareFallbackOrigin f, string? status) => new()
    {
        ["origin"] = f.Origin,
        ["status"] = status ?? state.FallbackStatus(f),
        ["errors"] = new JsonArray(),
        ["created_at"] = Stamp(f.Created),
        ["updated_at"] = Stamp(f.Updated),
    };

    private CloudflareCustomHostname Find(string id) =>
        state.CustomHostnames.Find(h => h.Id == id) ?? throw CloudflareError.NotFound(1436, "The custom hostname was not found.");

    /// <summary>Applies the writable fields of a create or edit body; a field absent is left as is.</summary>
    private void Apply(CloudflareCustomHostname h, JsonObject body, bool creating)
    {
        if (body.TryGetPropertyValue("custom_metadata", out var metadata))
        {
            if (metadata is not null and not JsonObject)
            {
                throw CloudflareError.BadRequest(1415, "'custom_metadata' must be an object of string values.");
            }

            if (metadata is JsonObject m && m.Any(p => p.Value?.GetValueKind() != JsonValueKind.String))
            {
                throw CloudflareError.BadRequest(1415, "'custom_metadata' must be an object of string values.");
            }

            h.CustomMetadata = metadata is JsonObject o && o.Count > 0 ? (JsonObject)o.DeepClone() : null;
        }

        foreach (var (name, set) in new (string, Action<string?>)[] { ("custom_origin_server", v => h.CustomOriginServer = v), ("custom_origin_sni", v => h.CustomOriginSni = v) })
        {
            if (body.ContainsKey(name))
            {
                var value = String(body, name, 1414)?.Trim().TrimEnd('.').ToLowerInvariant();

                // custom_origin_sni also takes the literal ':request_host_header:' (the request's Host header as SNI).
                if (!string.IsNullOrEmpty(value) && !IsHostname(value) && !(name == "custom_origin_sni" && value == RequestHostHeaderSni))
                {
                    throw CloudflareError.BadRequest(1414, $"'{name}' must be a valid host name.");
                }

                set(string.IsNullOrEmpty(value) ? null : value);
            }
        }

        if (body["ssl"] is { } sslNode)
        {
            var ssl = sslNode as JsonObject ?? throw CloudflareError.BadRequest(1413, "'ssl' must be an object.");
            var method = String(ssl, "method", 1413) ?? (creating ? "http" : h.SslMethod);
            if (method is not ("http" or "txt"))
            {
                throw CloudflareError.BadRequest(1413, $"SSL validation method '{method}' is not supported; use 'http' or 'txt'.");
            }

            var type = String(ssl, "type", 1413) ?? "dv";
            if (type != "dv")
            {
                throw CloudflareError.BadRequest(1413, $"SSL type '{type}' is not supported; use 'dv'.");
            }

            if (ssl["settings"] is { } settings)
            {
                if (settings is not JsonObject s || (s["min_tls_version"] is { } tls && (tls.GetValueKind() != JsonValueKind.String || tls.GetValue<string>() is not ("1.0" or "1.1" or "1.2" or "1.3"))))
                {
                    throw CloudflareError.BadRequest(1413, "'ssl.settings' is invalid: 'min_tls_version' must be one of 1.0, 1.1, 1.2, 1.3.");
                }

                h.SslSettings = (JsonObject)s.DeepClone();
            }

            h.BundleMethod = String(ssl, "bundle_method", 1413) ?? h.BundleMethod;
            h.CertificateAuthority = String(ssl, "certificate_authority", 1413) ?? h.CertificateAuthority;
            if (!creating && method != h.SslMethod)
            {
                // A new validation method starts validation again.
                h.ValidationToken = state.NewId();
                h.ValidationStarted = state.Time.GetUtcNow();
                h.MarkedValidated = false;
            }

            h.SslMethod = method;
            h.SslType = type;
        }
    }

    /// <summary>A custom hostname as the API answers it. Call under the lock.</summary>
    private JsonObject Json(CloudflareCustomHostname h)
    {
        var validated = state.IsValidated(h);
        var ssl = new JsonObject
        {
            ["id"] = h.SslId,
            ["type"] = h.SslType,
            ["method"] = h.SslMethod,
            ["status"] = state.SslStatus(h),
            ["settings"] = h.SslSettings?.DeepClone() ?? new JsonObject(),
            ["bundle_method"] = h.BundleMethod,
            ["wildcard"] = false,
            ["certificate_authority"] = h.CertificateAuthority,
        };
        if (validated)
        {
            ssl["hosts"] = new JsonArray(h.Hostname);
            ssl["issuer"] = "GoogleTrustServices";
            ssl["uploaded_on"] = Stamp(h.ValidationStarted);
            ssl["expires_on"] = Stamp(h.ValidationStarted.AddDays(90));
        }
        else
        {
            ssl["validation_records"] = new JsonArray(h.SslMethod == "txt"
                ? new JsonObject { ["status"] = "pending", ["txt_name"] = "_acme-challenge." + h.Hostname, ["txt_value"] = h.ValidationToken }
                : new JsonObject
                {
                    ["status"] = "pending",
                    ["http_url"] = $"http://{h.Hostname}/.well-known/acme-challenge/{h.ValidationToken}",
                    ["http_body"] = h.ValidationToken + "." + h.SslId,
                });
        }

        var json = new JsonObject
        {
            ["id"] = h.Id,
            ["hostname"] = h.Hostname,
            ["ssl"] = ssl,
            ["status"] = state.HostnameStatus(h),
            ["created_at"] = Stamp(h.Created),
        };
        if (h.CustomMetadata is { } metadata)
        {
            json["custom_metadata"] = metadata.DeepClone();
        }

        if (h.CustomOriginServer is { } server)
        {
            json["custom_origin_server"] = server;
        }

        if (h.CustomOriginSni is { } sni)
        {
            json["custom_origin_sni"] = sni;
        }

        if (!validated)
        {
            json["verification_errors"] = new JsonArray("custom hostname does not CNAME to this zone.");
            json["ownership_verification"] = new JsonObject { ["type"] = "txt", ["name"] = "_cf-custom-hostname." + h.Hostname, ["value"] = h.OwnershipToken };
            json["ownership_verification_http"] = new JsonObject
            {
                ["http_url"] = $"http://{h.Hostname}/.well-known/cf-custom-hostname-challenge/{h.Id}",
                ["http_body"] = h.OwnershipToken,
            };
        }

        return json;
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex HostnamePattern();
}
