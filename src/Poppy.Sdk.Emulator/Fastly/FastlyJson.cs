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
    private static readonly HashSet<string> NumberFields = new(StringComparer.Ordinal)
    {
        "port", "ttl", "stale_ttl", "status", "priority", "first_byte_timeout", "connect_timeout", "between_bytes_timeout",
        "max_conn", "weight", "subnet", "general.default_ttl", "general.stale_if_error_ttl", "max_stale_age",
    };

    private static readonly HashSet<string> BooleanFields = new(StringComparer.Ordinal)
    {
        "use_ssl", "auto_loadbalance", "ssl_check_cert", "general.stale_if_error", "force_miss", "bypass_busy_wait", "negated",
    };

    /// <summary>The object kinds a version's details list, in order.</summary>
    private static readonly string[] DetailKinds = ["domain", "backend", "condition", "cache_settings", "header", "request_settings", "response_object", "acl"];

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
            foreach (var kind in DetailKinds)
            {
                var key = kind switch { "domain" => "domains", "backend" => "backends", "condition" => "conditions", "header" => "headers", "response_object" => "response_objects", "acl" => "acls", _ => kind };
                json[key] = new JsonArray([.. v.List(kind).Select(o => (JsonNode)ObjectJson(s, v, o))]);
            }

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

        return Typed(fields, new JsonObject { ["service_id"] = s.Id, ["version"] = v.Number });
    }

    public static JsonObject ObjectJson(FastlyService s, FastlyVersion v, Dictionary<string, string> fields) =>
        Typed(fields, new JsonObject
        {
            ["service_id"] = s.Id,
            ["version"] = v.Number,
            ["created_at"] = Stamp(s.Created),
            ["updated_at"] = Stamp(s.Updated),
            ["deleted_at"] = null,
        });

    /// <summary>Adds string fields to <paramref name="json"/> as Fastly types them.</summary>
    public static JsonObject Typed(Dictionary<string, string> fields, JsonObject json)
    {
        foreach (var (k, value) in fields)
        {
            if (NumberFields.Contains(k) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                json[k] = n;
            }
            else if (BooleanFields.Contains(k) && (value is "true" or "false" or "1" or "0"))
            {
                json[k] = value is "true" or "1";
            }
            else
            {
                json[k] = value;
            }
        }

        return json;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
