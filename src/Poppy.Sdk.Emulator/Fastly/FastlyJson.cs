using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Fastly;

/// <summary>
/// Fastly's wire format: form-encoded (or JSON) request bodies, JSON answers with Fastly's field types
/// (numbers and booleans where its models have them), and the JSON of services, versions and objects.
/// </summary>
internal static class FastlyJson
{
    /// <summary>
    /// Field types per object kind, as the official <c>fastly</c> client's models declare them (its
    /// <c>*Response</c> models); a field not listed is a string. Most legacy versioned objects (conditions,
    /// cache settings, headers, request settings, response objects, ACLs, gzip) carry every field — their
    /// <c>version</c>, <c>priority</c>, <c>ttl</c>, <c>status</c> too — as a string; domains, backends,
    /// health checks and settings have a numeric <c>version</c> and typed fields.
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, Wire>> Schemas = new(StringComparer.Ordinal)
    {
        ["domain"] = Schema(numbers: ["version"]),
        ["backend"] = Schema(
            numbers: ["version", "port", "weight", "max_conn", "first_byte_timeout", "connect_timeout", "between_bytes_timeout",
                "keepalive_time", "tcp_keepalive_interval", "tcp_keepalive_probes", "tcp_keepalive_time"],
            flags: ["use_ssl", "auto_loadbalance", "ssl_check_cert", "tcp_keepalive_enable", "locked"]),
        ["healthcheck"] = Schema(numbers: ["version", "check_interval", "expected_response", "initial", "threshold", "timeout", "window"]),
        ["settings"] = Schema(numbers: ["version", "general.default_ttl", "general.stale_if_error_ttl"], flags: ["general.stale_if_error"]),
        ["acl_entry"] = Schema(numbers: ["subnet"], bits: ["negated"]),

        // The request takes 0/1 integers; the response model reads them back as strings ("0"/"1").
        ["request_settings"] = Schema(bitStrings: ["force_miss", "bypass_busy_wait", "force_ssl", "geo_headers", "timer_support"], integerStrings: ["max_stale_age"]),
        ["condition"] = Schema(integerStrings: ["priority"]),
        ["cache_settings"] = Schema(integerStrings: ["ttl", "stale_ttl"]),
        ["header"] = Schema(integerStrings: ["priority", "ignore_if_set"]),
        ["response_object"] = Schema(integerStrings: ["status"]),
    };

    /// <summary>How a field is written: its JSON type in Fastly's answers.</summary>
    private enum Wire
    {
        /// <summary>A JSON string (any field not listed).</summary>
        Text,

        /// <summary>A JSON integer.</summary>
        Number,

        /// <summary>A JSON boolean.</summary>
        Flag,

        /// <summary>A JSON integer, 0 or 1 (ACL entry <c>negated</c>).</summary>
        Bit,

        /// <summary>A string holding 0 or 1 (request settings' switches).</summary>
        BitString,

        /// <summary>A string holding an integer (<c>ttl</c>, <c>priority</c>, <c>status</c>).</summary>
        IntegerString,
    }

    /// <summary>The object kinds a version's details list (the model's <c>VersionDetail</c>), with their keys.</summary>
    private static readonly (string Kind, string Key)[] DetailKinds =
    [
        ("backend", "backends"), ("cache_settings", "cache_settings"), ("condition", "conditions"), ("domain", "domains"), ("gzip", "gzips"),
        ("header", "headers"), ("healthcheck", "healthchecks"), ("request_settings", "request_settings"), ("response_object", "response_objects"),
    ];

    /// <summary>The request's fields: a form, or a flat JSON object.</summary>
    public static async Task<Dictionary<string, string>> FormAsync(HttpContext context)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (k, v) in form)
            {
                result[k] = v.ToString();
            }
        }
        else if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
                 && await JsonBodyAsync(context).ConfigureAwait(false) is { } json)
        {
            foreach (var (k, v) in json)
            {
                if (v is not null)
                {
                    result[k] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                }
            }
        }

        return result;
    }

    /// <summary>The request's JSON object body, or null; malformed JSON is a 400.</summary>
    public static async Task<JsonObject?> JsonBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            throw FastlyError.BadRequest("The body is not valid JSON.");
        }
    }

    /// <summary>Writes a JSON answer.</summary>
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a 200 JSON answer.</summary>
    public static Task OkAsync(HttpContext context, JsonNode body) => WriteAsync(context, 200, body);

    /// <summary><c>{"status": "ok"}</c>.</summary>
    public static JsonObject Ok() => new() { ["status"] = "ok" };

    /// <summary>The <c>page</c> and <c>per_page</c> query parameters.</summary>
    public static (int Page, int PerPage) Paging(HttpRequest request, int defaultPerPage, int maxPerPage)
    {
        var query = request.Query;
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? Math.Min(pp, maxPerPage) : defaultPerPage;
        return (page, perPage);
    }

    public static JsonObject ServiceJson(FastlyService s, bool withVersions)
    {
        var active = s.Versions.FirstOrDefault(v => v.Active);
        var json = new JsonObject
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["comment"] = s.Comment,
            ["type"] = s.Type,
            ["customer_id"] = "emulatorcustomer00000",
            ["created_at"] = Stamp(s.Created),
            ["updated_at"] = Stamp(s.Updated),
            ["deleted_at"] = null,
            ["version"] = active?.Number ?? s.Versions[^1].Number,
            ["active_version"] = active?.Number,
        };
        if (withVersions)
        {
            json["versions"] = new JsonArray([.. s.Versions.Select(v => (JsonNode)VersionJson(s, v, withObjects: false))]);
        }

        return json;
    }

    public static JsonObject VersionJson(FastlyService s, FastlyVersion v, bool withObjects)
    {
        var json = new JsonObject
        {
            ["number"] = v.Number,
            ["service_id"] = s.Id,
            ["active"] = v.Active,
            ["locked"] = v.Locked,
            ["deployed"] = v.Deployed,
            ["staging"] = false,
            ["testing"] = false,
            ["comment"] = v.Comment,
            ["created_at"] = Stamp(s.Created),
            ["updated_at"] = Stamp(s.Updated),
            ["deleted_at"] = null,
        };
        if (withObjects)
        {
            foreach (var (kind, key) in DetailKinds)
            {
                json[key] = new JsonArray([.. v.List(kind).Select(o => (JsonNode)ObjectJson(kind, s, v, o))]);
            }

            // Kinds the emulator does not keep: present, empty.
            json["directors"] = new JsonArray();
            json["snippets"] = new JsonArray();
            json["vcls"] = new JsonArray();

            json["settings"] = SettingsJson(s, v);
        }

        return json;
    }

    public static JsonObject SettingsJson(FastlyService s, FastlyVersion v)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["general.default_ttl"] = "3600",
            ["general.default_host"] = "",
            ["general.stale_if_error"] = "false",
            ["general.stale_if_error_ttl"] = "43200",
        };
        foreach (var (k, value) in v.Settings)
        {
            fields[k] = value;
        }

        return Typed("settings", fields, new JsonObject { ["service_id"] = s.Id, ["version"] = VersionNode("settings", v.Number) });
    }

    public static JsonObject ObjectJson(string kind, FastlyService s, FastlyVersion v, Dictionary<string, string> fields) =>
        Typed(kind, fields, new JsonObject
        {
            ["service_id"] = s.Id,
            ["version"] = VersionNode(kind, v.Number),
            ["created_at"] = Stamp(s.Created),
            ["updated_at"] = Stamp(s.Updated),
            ["deleted_at"] = null,
        });

    /// <summary>
    /// Checks and normalises a request's fields for an object of <paramref name="kind"/> before they are
    /// stored: integers must parse (else 400, as Fastly answers), switches become <c>0</c>/<c>1</c> or
    /// <c>true</c>/<c>false</c> whatever form the client sent (<c>1</c>, <c>true</c>, <c>"0"</c>, …).
    /// </summary>
    public static void Normalize(string kind, Dictionary<string, string> fields)
    {
        var schema = Schemas.GetValueOrDefault(kind);
        if (schema is null)
        {
            return;
        }

        foreach (var (k, value) in fields.ToList())
        {
            if (!schema.TryGetValue(k, out var wire) || wire == Wire.Text || value.Length == 0)
            {
                continue;
            }

            fields[k] = wire switch
            {
                Wire.Number or Wire.IntegerString when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n.ToString(CultureInfo.InvariantCulture),
                Wire.Flag when Switch(value) is { } on => on ? "true" : "false",
                Wire.Bit or Wire.BitString when Switch(value) is { } on => on ? "1" : "0",
                _ => throw FastlyError.BadRequest($"Invalid value for '{k}': '{value}'."),
            };
        }
    }

    /// <summary>Adds stored (string) fields of an object of <paramref name="kind"/> to <paramref name="json"/> as Fastly types them.</summary>
    public static JsonObject Typed(string kind, Dictionary<string, string> fields, JsonObject json)
    {
        var schema = Schemas.GetValueOrDefault(kind);
        foreach (var (k, value) in fields)
        {
            json[k] = schema?.GetValueOrDefault(k) switch
            {
                Wire.Number or Wire.Bit when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                Wire.Flag when Switch(value) is { } on => on,
                _ => value,
            };
        }

        return json;
    }

    /// <summary><c>version</c> as the kind's model types it: a number or a numeric string.</summary>
    private static JsonNode VersionNode(string kind, int number) =>
        Schemas.GetValueOrDefault(kind)?.GetValueOrDefault("version") == Wire.Number
            ? JsonValue.Create(number)
            : JsonValue.Create(number.ToString(CultureInfo.InvariantCulture));

    private static bool? Switch(string value) => value switch
    {
        "1" or "true" or "True" => true,
        "0" or "false" or "False" => false,
        _ => null,
    };

    private static Dictionary<string, Wire> Schema(
        string[]? numbers = null, string[]? flags = null, string[]? bits = null, string[]? bitStrings = null, string[]? integerStrings = null)
    {
        var schema = new Dictionary<string, Wire>(StringComparer.Ordinal);
        foreach (var (names, wire) in new[] { (numbers, Wire.Number), (flags, Wire.Flag), (bits, Wire.Bit), (bitStrings, Wire.BitString), (integerStrings, Wire.IntegerString) })
        {
            foreach (var name in names ?? [])
            {
                schema[name] = wire;
            }
        }

        return schema;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
