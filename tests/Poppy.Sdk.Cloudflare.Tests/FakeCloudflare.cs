using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>
/// A small stateful stand-in for the Cloudflare v4 endpoints the provider uses (custom hostnames, fallback origin, phase
/// entry points and single-rule endpoints, purge_cache), for flows the strict MockHttp tests would make unreadable:
/// shared zones, converging creates, validation waits, paging. Answers follow the official client's shapes: the v4
/// envelope, and the bare <c>{"id"}</c> of a custom hostname delete.
/// </summary>
internal sealed partial class FakeCloudflare : HttpMessageHandler
{
    public const string Token = "cf-test-token-0123456789abcdef";
    public const string ZoneId = "023e105f4ecef8ad9ca31a8372d0c353";
    public const string Base = "https://api.cloudflare.com/client/v4/";

    private readonly object _gate = new();
    private int _next;

    public Dictionary<string, JsonObject> Hostnames { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (string Id, List<JsonObject> Rules)> EntryPoints { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public List<JsonObject> Purges { get; } = [];

    public string? FallbackOrigin { get; set; }

    /// <summary>New hostnames start active (and their certificates too) instead of pending validation.</summary>
    public bool AutoActivate { get; set; }

    /// <summary>The page size of lists, when smaller than the one asked for.</summary>
    public int? PageSize { get; set; }

    /// <summary>Simulates another process creating the same entry point: its PUT lands right after the first rule is added to a new entry point.</summary>
    public bool WipeNewEntryPointOnce { get; set; }

    /// <summary>Answers the next purges with 429 (and these headers).</summary>
    public Queue<Action<HttpResponseMessage>> PurgeRefusals { get; } = new();

    /// <summary>Answers for the next requests, before anything else (faults).</summary>
    public Queue<Func<HttpResponseMessage>> NextAnswers { get; } = new();

    public void ActivateAll()
    {
        lock (_gate)
        {
            foreach (var h in Hostnames.Values)
            {
                h["status"] = "active";
                h["ssl"]!["status"] = "active";
            }
        }
    }

    public int Count(string method, string pathPrefix) => Calls.Count(c => c.StartsWith(method + " " + pathPrefix, StringComparison.Ordinal));

    public IEnumerable<JsonObject> Rules(string phase) => EntryPoints.TryGetValue(phase, out var e) ? e.Rules : [];

    public void Activate(string hostname, string sslStatus = "active")
    {
        lock (_gate)
        {
            var h = Hostnames.Values.Single(h => (string?)h["hostname"] == hostname);
            h["status"] = "active";
            h["ssl"]!["status"] = sslStatus;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_gate)
        {
            var path = request.RequestUri!.AbsolutePath;
            Calls.Add(request.Method.Method + " " + path + request.RequestUri.Query);
            if (NextAnswers.TryDequeue(out var answer))
            {
                return answer();
            }

            if (request.Headers.Authorization is not { Scheme: "Bearer", Parameter: Token })
            {
                return Error(HttpStatusCode.Forbidden, 10000, "Authentication error");
            }

            var zone = "/client/v4/zones/" + ZoneId;
            if (!path.StartsWith(zone, StringComparison.Ordinal))
            {
                return Error(HttpStatusCode.NotFound, 7003, "Could not route to " + path);
            }

            var rest = path[zone.Length..];
            var json = body is null ? null : JsonNode.Parse(body)!.AsObject();
            return (request.Method.Method, rest) switch
            {
                ("POST", "/custom_hostnames") => CreateHostname(json!),
                ("GET", "/custom_hostnames") => ListHostnames(request.RequestUri),
                ("GET", "/custom_hostnames/fallback_origin") => FallbackOrigin is null ? Error(HttpStatusCode.NotFound, 1551, "No fallback origin") : Ok(new JsonObject { ["origin"] = FallbackOrigin, ["status"] = "active" }),
                ("PUT", "/custom_hostnames/fallback_origin") => SetFallback(json!),
                ("GET", var p) when HostnamePath().Match(p) is { Success: true } m => Hostnames.TryGetValue(m.Groups[1].Value, out var h) ? Ok(h.DeepClone()) : Error(HttpStatusCode.NotFound, 1436, "Custom hostname not found"),
                ("PATCH", var p) when HostnamePath().Match(p) is { Success: true } m => EditHostname(m.Groups[1].Value, json!),
                ("DELETE", var p) when HostnamePath().Match(p) is { Success: true } m => Hostnames.Remove(m.Groups[1].Value)
                    ? Json(HttpStatusCode.OK, new JsonObject { ["id"] = m.Groups[1].Value })
                    : Error(HttpStatusCode.NotFound, 1436, "Custom hostname not found"),
                ("GET", var p) when EntryPointPath().Match(p) is { Success: true } m => EntryPoints.TryGetValue(m.Groups[1].Value, out var e) ? Ok(Ruleset(m.Groups[1].Value)) : Error(HttpStatusCode.NotFound, 10003, "could not find entrypoint ruleset"),
                ("PUT", var p) when EntryPointPath().Match(p) is { Success: true } m => PutEntryPoint(m.Groups[1].Value, json!),
                ("POST", var p) when RulesPath().Match(p) is { Success: true } m => AddRule(m.Groups[1].Value, json!),
                ("PATCH", var p) when RulePath().Match(p) is { Success: true } m => EditRule(m.Groups[1].Value, m.Groups[2].Value, json!),
                ("DELETE", var p) when RulePath().Match(p) is { Success: true } m => DeleteRule(m.Groups[1].Value, m.Groups[2].Value),
                ("POST", "/purge_cache") => Purge(json!),
                _ => Error(HttpStatusCode.NotFound, 7003, "No route for that URI"),
            };
        }
    }

    private HttpResponseMessage CreateHostname(JsonObject body)
    {
        var name = (string)body["hostname"]!;
        if (Hostnames.Values.Any(h => (string?)h["hostname"] == name))
        {
            return Error(HttpStatusCode.Conflict, 1406, "Duplicate custom hostname found.");
        }

        var id = NewId();
        var method = (string?)body["ssl"]?["method"] ?? "http";
        var h = new JsonObject
        {
            ["id"] = id,
            ["hostname"] = name,
            ["status"] = AutoActivate ? "active" : "pending",
            ["ssl"] = new JsonObject
            {
                ["id"] = NewId(),
                ["method"] = method,
                ["type"] = "dv",
                ["status"] = AutoActivate ? "active" : "pending_validation",
                ["validation_records"] = method == "txt"
                    ? new JsonArray(new JsonObject { ["txt_name"] = "_acme-challenge." + name, ["txt_value"] = "ca3-" + id })
                    : new JsonArray(new JsonObject { ["http_url"] = $"http://{name}/.well-known/acme-challenge/{id}", ["http_body"] = "ca3-" + id }),
            },
            ["ownership_verification"] = new JsonObject { ["type"] = "txt", ["name"] = "_cf-custom-hostname." + name, ["value"] = "own-" + id },
            ["created_at"] = "2026-01-01T00:00:00Z",
        };
        Copy(body, h);
        Hostnames[id] = h;
        return Ok(h.DeepClone());
    }

    private HttpResponseMessage EditHostname(string id, JsonObject body)
    {
        if (!Hostnames.TryGetValue(id, out var h))
        {
            return Error(HttpStatusCode.NotFound, 1436, "Custom hostname not found");
        }

        Copy(body, h);
        if (body["ssl"]?["method"] is { } method)
        {
            h["ssl"]!["method"] = (string?)method;
        }

        return Ok(h.DeepClone());
    }

    private static void Copy(JsonObject body, JsonObject h)
    {
        foreach (var key in new[] { "custom_metadata", "custom_origin_server", "custom_origin_sni" })
        {
            if (body[key] is { } value)
            {
                h[key] = value.DeepClone();
            }
        }
    }

    private HttpResponseMessage ListHostnames(Uri uri)
    {
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var all = Hostnames.Values.Where(h => query["hostname"] is not { } name || (string?)h["hostname"] == name).ToList();
        var perPage = PageSize ?? (int.TryParse(query["per_page"], out var pp) ? pp : 20);
        var page = int.TryParse(query["page"], out var pg) ? pg : 1;
        var items = all.Skip((page - 1) * perPage).Take(perPage).Select(h => h.DeepClone()).ToArray();
        var totalPages = Math.Max(1, (all.Count + perPage - 1) / perPage);
        return Json(HttpStatusCode.OK, new JsonObject
        {
            ["success"] = true,
            ["errors"] = new JsonArray(),
            ["messages"] = new JsonArray(),
            ["result"] = new JsonArray(items),
            ["result_info"] = new JsonObject { ["page"] = page, ["per_page"] = perPage, ["count"] = items.Length, ["total_count"] = all.Count, ["total_pages"] = totalPages },
        });
    }

    private HttpResponseMessage SetFallback(JsonObject body)
    {
        FallbackOrigin = (string?)body["origin"];
        return Ok(new JsonObject { ["origin"] = FallbackOrigin, ["status"] = "pending_deployment" });
    }

    private HttpResponseMessage PutEntryPoint(string phase, JsonObject body)
    {
        var id = EntryPoints.TryGetValue(phase, out var e) ? e.Id : NewId();
        EntryPoints[phase] = (id, body["rules"]!.AsArray().Select(r => Stored(r!.AsObject())).ToList());
        return Ok(Ruleset(phase));
    }

    private HttpResponseMessage AddRule(string rulesetId, JsonObject body)
    {
        if (Phase(rulesetId) is not { } phase)
        {
            return Error(HttpStatusCode.NotFound, 10003, "ruleset not found");
        }

        var rules = EntryPoints[phase].Rules;
        var position = body["position"]?.AsObject();
        body.Remove("position");
        if (rules.Any(r => (string?)r["ref"] == (string?)body["ref"]))
        {
            return Error(HttpStatusCode.BadRequest, 20217, "a rule with this ref already exists");
        }

        var rule = Stored(body);
        var index = position?["after"] is { } after ? rules.FindIndex(r => (string?)r["id"] == (string?)after) + 1
            : position?["before"] is { } before ? rules.FindIndex(r => (string?)r["id"] == (string?)before)
            : rules.Count;
        rules.Insert(index < 0 ? rules.Count : index, rule);
        var answer = Ok(Ruleset(phase));
        if (WipeNewEntryPointOnce)
        {
            WipeNewEntryPointOnce = false;
            rules.Clear();
        }

        return answer;
    }

    private HttpResponseMessage EditRule(string rulesetId, string ruleId, JsonObject body)
    {
        if (Phase(rulesetId) is not { } phase || EntryPoints[phase].Rules.FindIndex(r => (string?)r["id"] == ruleId) is var i && i < 0)
        {
            return Error(HttpStatusCode.NotFound, 10003, "rule not found");
        }

        var rule = Stored(body);
        rule["id"] = ruleId;
        EntryPoints[phase].Rules[i] = rule;
        return Ok(Ruleset(phase));
    }

    private HttpResponseMessage DeleteRule(string rulesetId, string ruleId)
    {
        if (Phase(rulesetId) is not { } phase || EntryPoints[phase].Rules.RemoveAll(r => (string?)r["id"] == ruleId) == 0)
        {
            return Error(HttpStatusCode.NotFound, 10003, "rule not found");
        }

        return Ok(Ruleset(phase));
    }

    private HttpResponseMessage Purge(JsonObject body)
    {
        if (PurgeRefusals.TryDequeue(out var headers))
        {
            var refused = Error((HttpStatusCode)429, 971, "Please wait and consider throttling your request speed");
            headers(refused);
            return refused;
        }

        Purges.Add(body);
        return Ok(new JsonObject { ["id"] = "purge-" + Purges.Count });
    }

    private JsonObject Stored(JsonObject body)
    {
        var rule = (JsonObject)body.DeepClone();
        rule["id"] = NewId();
        rule["version"] = "1";
        rule["last_updated"] = "2026-01-01T00:00:00Z";
        return rule;
    }

    private JsonObject Ruleset(string phase) => new()
    {
        ["id"] = EntryPoints[phase].Id,
        ["name"] = "default",
        ["kind"] = "zone",
        ["phase"] = phase,
        ["version"] = "1",
        ["rules"] = new JsonArray(EntryPoints[phase].Rules.Select(r => r.DeepClone()).ToArray()),
    };

    private string? Phase(string rulesetId) => EntryPoints.FirstOrDefault(e => e.Value.Id == rulesetId).Key;

    private string NewId() => (++_next).ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    public static HttpResponseMessage Ok(JsonNode result) => Json(HttpStatusCode.OK, new JsonObject
    {
        ["success"] = true,
        ["errors"] = new JsonArray(),
        ["messages"] = new JsonArray(),
        ["result"] = result,
    });

    public static HttpResponseMessage Error(HttpStatusCode status, int code, string message) => Json(status, new JsonObject
    {
        ["success"] = false,
        ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
        ["messages"] = new JsonArray(),
        ["result"] = null,
    });

    public static HttpResponseMessage Json(HttpStatusCode status, JsonNode body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation("CF-Ray", "8f1c2d3e4f5a6b7c-AMS");
        return response;
    }

    [GeneratedRegex("^/custom_hostnames/([0-9a-f]+)$")]
    private static partial Regex HostnamePath();

    [GeneratedRegex("^/rulesets/phases/([a-z_]+)/entrypoint$")]
    private static partial Regex EntryPointPath();

    [GeneratedRegex("^/rulesets/([0-9a-f]+)/rules$")]
    private static partial Regex RulesPath();

    [GeneratedRegex("^/rulesets/([0-9a-f]+)/rules/([0-9a-f]+)$")]
    private static partial Regex RulePath();
}
