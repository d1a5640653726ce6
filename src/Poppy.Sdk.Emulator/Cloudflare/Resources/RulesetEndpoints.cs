using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Cloudflare.CloudflareJson;

namespace Poppy.Sdk.Emulator.Cloudflare.Resources;

/// <summary>
/// The zone's rulesets engine: phase entry points (<c>GET</c> answers 404 while the phase has none, <c>PUT</c>
/// creates or replaces it whole), <c>GET /rulesets</c> and <c>/rulesets/{id}</c>, and the single-rule endpoints
/// (<c>POST …/rules</c> with an optional <c>position</c>, <c>PATCH</c> and <c>DELETE …/rules/{rule_id}</c>), each
/// answering the whole ruleset with its version bumped. A rule's <c>ref</c> is unique within its ruleset
/// (the rule id when not given); its expression must parse (<see cref="RulesExpression"/>); its action must
/// belong to the phase; the cache-settings phase holds at most the plan's number of cache rules.
/// </summary>
internal sealed class RulesetEndpoints(CloudflareState state)
{
    /// <summary>The zone phases and the actions their rules may take (null: any).</summary>
    private static readonly Dictionary<string, string[]?> Phases = new(StringComparer.Ordinal)
    {
        ["http_request_origin"] = ["route"],
        ["http_request_cache_settings"] = ["set_cache_settings"],
        ["http_response_cache_settings"] = ["set_cache_control", "set_cache_tags"],
        ["http_request_firewall_custom"] = ["block", "challenge", "js_challenge", "managed_challenge", "log", "skip"],
        ["http_request_transform"] = ["rewrite"],
        ["http_request_late_transform"] = ["rewrite"],
        ["http_response_headers_transform"] = ["rewrite"],
        ["http_request_dynamic_redirect"] = ["redirect"],
        ["http_request_redirect"] = ["redirect"],
        ["http_config_settings"] = ["set_config"],
        ["http_response_compression"] = ["compress_response"],
        ["http_custom_errors"] = ["serve_error"],
        ["http_ratelimit"] = ["block", "challenge", "js_challenge", "managed_challenge", "log"],
        ["http_request_firewall_managed"] = ["execute", "skip"],
        ["http_log_custom_fields"] = ["log_custom_field"],
    };

    public void Map(IEndpointRouteBuilder routes)
    {
        var rulesets = routes.MapGroup("/zones/{zone_id}/rulesets");
        rulesets.MapGet("", ListAsync);
        rulesets.MapGet("/phases/{phase}/entrypoint", GetEntryPointAsync);
        rulesets.MapPut("/phases/{phase}/entrypoint", PutEntryPointAsync);
        rulesets.MapGet("/{ruleset_id}", GetAsync);
        rulesets.MapPost("/{ruleset_id}/rules", AddRuleAsync);
        rulesets.MapPatch("/{ruleset_id}/rules/{rule_id}", EditRuleAsync);
        rulesets.MapDelete("/{ruleset_id}/rules/{rule_id}", DeleteRuleAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        return OkAsync(context, state.Locked(() =>
            new JsonArray([.. state.Rulesets.Values.OrderBy(r => r.Phase, StringComparer.Ordinal).Select(r => (JsonNode)Json(r, withRules: false))])));
    }

    private Task GetEntryPointAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var phase = Phase(context);
        return OkAsync(context, state.Locked(() =>
            Json(state.EntryPoint(phase) ?? throw CloudflareError.NotFound(10003, $"could not find entrypoint ruleset in the {phase} phase"), withRules: true)));
    }

    private async Task PutEntryPointAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var phase = Phase(context);
        var body = await BodyAsync(context).ConfigureAwait(false);
        var rules = body["rules"] switch
        {
            null => [],
            JsonArray array => array.Select(r => r as JsonObject ?? throw Invalid("each rule must be an object")).ToList(),
            _ => throw Invalid("'rules' must be an array"),
        };
        if (body["kind"] is { } kind && (kind.GetValueKind() != JsonValueKind.String || kind.GetValue<string>() != "zone"))
        {
            throw Invalid("the kind of a zone entry point ruleset must be 'zone'");
        }

        if (body["phase"] is { } bodyPhase && (bodyPhase.GetValueKind() != JsonValueKind.String || bodyPhase.GetValue<string>() != phase))
        {
            throw Invalid($"the phase in the body must be '{phase}'");
        }

        await OkAsync(context, state.Locked(() =>
        {
            var now = state.Time.GetUtcNow();
            var ruleset = state.EntryPoint(phase);
            var old = ruleset?.Rules.ToDictionary(r => r.Id, StringComparer.Ordinal) ?? [];
            var replaced = new List<(CloudflareRule Rule, JsonObject Fields)>();
            foreach (var fields in rules)
            {
                var id = String(fields, "id", 20021);
                if (id is not null && !old.ContainsKey(id))
                {
                    throw Invalid($"rule id '{id}' does not belong to this ruleset");
                }

                var rule = id is null ? new CloudflareRule { Id = state.NewId() } : old[id];
                replaced.Add((rule, Validated(phase, fields, rule.Id)));
            }

            CheckRefs(replaced.Select(r => new CloudflareRule { Id = r.Rule.Id, Fields = r.Fields }));
            CheckCount(phase, replaced.Count);
            foreach (var (rule, fields) in replaced)
            {
                if (old.ContainsKey(rule.Id))
                {
                    rule.Version++;
                }

                rule.Fields = fields;
                rule.LastUpdated = now;
            }

            if (ruleset is null)
            {
                ruleset = new CloudflareRuleset { Id = state.NewId(), Phase = phase };
                state.Rulesets[ruleset.Id] = ruleset;
            }
            else
            {
                ruleset.Version++;
            }

            ruleset.Name = String(body, "name", 20021) ?? ruleset.Name;
            ruleset.Description = String(body, "description", 20021) ?? ruleset.Description;
            ruleset.LastUpdated = now;
            ruleset.Rules.Clear();
            ruleset.Rules.AddRange(replaced.Select(r => r.Rule));
            return Json(ruleset, withRules: true);
        })).ConfigureAwait(false);
    }

    private Task GetAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        return OkAsync(context, state.Locked(() => Json(Ruleset(context), withRules: true)));
    }

    private async Task AddRuleAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var body = await BodyAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var ruleset = Ruleset(context);
            var rule = new CloudflareRule { Id = state.NewId(), LastUpdated = state.Time.GetUtcNow() };
            rule.Fields = Validated(ruleset.Phase, body, rule.Id);
            var rules = ruleset.Rules.ToList();
            rules.Insert(Position(body, rules, rules.Count), rule);
            CheckRefs(rules);
            CheckCount(ruleset.Phase, rules.Count);
            return Commit(ruleset, rules);
        })).ConfigureAwait(false);
    }

    private async Task EditRuleAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        var body = await BodyAsync(context).ConfigureAwait(false);
        await OkAsync(context, state.Locked(() =>
        {
            var ruleset = Ruleset(context);
            var rule = Rule(ruleset, context.Route("rule_id"));
            var merged = (JsonObject)rule.Fields.DeepClone();
            foreach (var (name, value) in body)
            {
                merged[name] = value?.DeepClone();
            }

            var fields = Validated(ruleset.Phase, merged, rule.Id);
            var rules = ruleset.Rules.Where(r => r != rule).ToList();
            rules.Insert(body.ContainsKey("position") ? Position(body, rules, rules.Count) : ruleset.Rules.IndexOf(rule), rule);
            CheckRefs(rules.Select(r => r == rule ? new CloudflareRule { Id = r.Id, Fields = fields } : r));
            rule.Fields = fields;
            rule.Version++;
            rule.LastUpdated = state.Time.GetUtcNow();
            return Commit(ruleset, rules);
        })).ConfigureAwait(false);
    }

    private Task DeleteRuleAsync(HttpContext context)
    {
        state.Zone(context.Route("zone_id"));
        return OkAsync(context, state.Locked(() =>
        {
            var ruleset = Ruleset(context);
            var rule = Rule(ruleset, context.Route("rule_id"));
            return Commit(ruleset, ruleset.Rules.Where(r => r != rule).ToList());
        }));
    }

    private JsonObject Commit(CloudflareRuleset ruleset, List<CloudflareRule> rules)
    {
        ruleset.Rules.Clear();
        ruleset.Rules.AddRange(rules);
        ruleset.Version++;
        ruleset.LastUpdated = state.Time.GetUtcNow();
        return Json(ruleset, withRules: true);
    }

    private static string Phase(HttpContext context)
    {
        var phase = context.Route("phase");
        return Phases.ContainsKey(phase) ? phase : throw Invalid($"'{phase}' is not a valid zone phase");
    }

    private CloudflareRuleset Ruleset(HttpContext context) =>
        state.Rulesets.GetValueOrDefault(context.Route("ruleset_id"))
        ?? throw CloudflareError.NotFound(10003, $"could not find ruleset '{context.Route("ruleset_id")}'");

    private static CloudflareRule Rule(CloudflareRuleset ruleset, string id) =>
        ruleset.Rules.Find(r => r.Id == id) ?? throw CloudflareError.NotFound(10003, $"could not find rule '{id}' in ruleset '{ruleset.Id}'");

    /// <summary>Checks a rule's fields for a phase; returns what is stored (without id, version, position).</summary>
    private JsonObject Validated(string phase, JsonObject body, string id) => Validated(phase, body, id, state.MinimumEdgeTtl);

    private static JsonObject Validated(string phase, JsonObject body, string id, int minimumEdgeTtl)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in body)
        {
            if (name is not ("id" or "version" or "last_updated" or "position"))
            {
                fields[name] = value?.DeepClone();
            }
        }

        var action = String(fields, "action", 20021) ?? throw Invalid("a rule needs an 'action'");
        var allowed = Phases[phase];
        if (allowed is not null && !allowed.Contains(action))
        {
            throw Invalid($"'{action}' is not a valid action for the {phase} phase (allowed: {string.Join(", ", allowed)})");
        }

        var expression = String(fields, "expression", 20021) ?? throw Invalid("a rule needs an 'expression'");
        if (RulesExpression.Check(expression) is { } problem)
        {
            throw Invalid($"invalid expression: {problem}");
        }

        if (fields["action_parameters"] is { } parameters)
        {
            CheckParameters(action, parameters as JsonObject ?? throw Invalid("'action_parameters' must be an object"), minimumEdgeTtl);
        }

        if (fields["enabled"] is { } enabled && enabled.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Invalid("'enabled' must be a boolean");
        }

        String(fields, "description", 20021);
        var reference = String(fields, "ref", 20021);
        if (reference is not null && (reference.Length == 0 || reference.Length > 100))
        {
            throw Invalid("a rule's 'ref' must be 1 to 100 characters");
        }

        fields["ref"] = reference ?? id;
        return fields;
    }

    /// <summary>
    /// Checks the parameters of the actions Poppy uses: <c>route</c> (<c>host_header</c>, <c>origin {host, port}</c>,
    /// <c>sni {value}</c>) and <c>set_cache_settings</c> (<c>cache</c>, <c>edge_ttl {mode, default}</c> with the
    /// plan's minimum edge TTL, <c>browser_ttl {mode, default}</c>). Other actions' parameters are kept unchecked.
    /// </summary>
    private static void CheckParameters(string action, JsonObject parameters, int minimumEdgeTtl)
    {
        switch (action)
        {
            case "route":
                if (parameters["host_header"] is { } hostHeader && !IsHost(hostHeader))
                {
                    throw Invalid("'action_parameters.host_header' must be a host name");
                }

                if (parameters["origin"] is { } origin)
                {
                    if (origin is not JsonObject o || (o["host"] is { } host && !IsHost(host)) || (o["port"] is { } port && Integer(port) is not (>= 1 and <= 65535)))
                    {
                        throw Invalid("'action_parameters.origin' must be {\"host\": <host name>, \"port\": 1..65535}");
                    }
                }

                if (parameters["sni"] is { } sni && (sni is not JsonObject si || (si["value"] is { } value && !IsHost(value))))
                {
                    throw Invalid("'action_parameters.sni' must be {\"value\": <host name>}");
                }

                break;
            case "set_cache_settings":
                if (parameters["cache"] is { } cache && cache.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Invalid("'action_parameters.cache' must be a boolean");
                }

                foreach (var name in new[] { "edge_ttl", "browser_ttl" })
                {
                    if (parameters[name] is not { } ttl)
                    {
                        continue;
                    }

                    var modes = name == "edge_ttl" ? new[] { "respect_origin", "bypass_by_default", "override_origin" } : ["respect_origin", "bypass", "override_origin"];
                    if (ttl is not JsonObject t || t["mode"]?.GetValueKind() != JsonValueKind.String || !modes.Contains(t["mode"]!.GetValue<string>()))
                    {
                        throw Invalid($"'action_parameters.{name}.mode' must be one of {string.Join(", ", modes)}");
                    }

                    if (t["mode"]!.GetValue<string>() == "override_origin")
                    {
                        var seconds = t["default"] is { } d ? Integer(d) : null;
                        var minimum = name == "edge_ttl" ? minimumEdgeTtl : 1;
                        if (seconds is null || seconds < minimum)
                        {
                            throw Invalid($"'action_parameters.{name}.default' must be an integer of at least {minimum} seconds with mode override_origin{(name == "edge_ttl" ? " (the plan's minimum edge TTL)" : "")}");
                        }
                    }
                }

                break;
        }
    }

    private static bool IsHost(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String && CustomHostnameEndpoints.IsHostname(node.GetValue<string>().ToLowerInvariant());

    private static long? Integer(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() is var n && n == Math.Floor(n) ? (long)n : null;

    private static void CheckRefs(IEnumerable<CloudflareRule> rules)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!seen.Add(rule.Ref))
            {
                throw Invalid($"the ref '{rule.Ref}' is used by more than one rule in the ruleset");
            }
        }
    }

    private void CheckCount(string phase, int count)
    {
        if (phase == "http_request_cache_settings" && count > state.MaxCacheRules)
        {
            throw Invalid($"the {state.Options.Plan} plan allows at most {state.MaxCacheRules} cache rules");
        }
    }

    /// <summary>Where a <c>position</c> (<c>before</c>/<c>after</c> a rule id, or a 1-based <c>index</c>) puts a rule.</summary>
    private static int Position(JsonObject body, List<CloudflareRule> rules, int end)
    {
        if (body["position"] is not { } node)
        {
            return end;
        }

        if (node is not JsonObject position || position.Count != 1)
        {
            throw Invalid("'position' must have exactly one of 'before', 'after', 'index'");
        }

        var (key, value) = position.First();
        switch (key)
        {
            case "index" when value?.GetValueKind() == JsonValueKind.Number && value.GetValue<double>() is var i && i >= 1 && i == Math.Floor(i):
                return Math.Min((int)i - 1, end);
            case "before" or "after" when value?.GetValueKind() == JsonValueKind.String:
                var target = value.GetValue<string>();
                if (target.Length == 0)
                {
                    return key == "before" ? 0 : end;
                }

                var at = rules.FindIndex(r => r.Id == target);
                return at < 0 ? throw Invalid($"position: no rule '{target}' in the ruleset") : key == "before" ? at : at + 1;
            default:
                throw Invalid("'position' must have exactly one of 'before' (rule id), 'after' (rule id), 'index' (from 1)");
        }
    }

    private static CloudflareError Invalid(string message) => CloudflareError.BadRequest(20021, message);

    private static JsonObject Json(CloudflareRuleset ruleset, bool withRules)
    {
        var json = new JsonObject
        {
            ["id"] = ruleset.Id,
            ["name"] = ruleset.Name,
            ["description"] = ruleset.Description,
            ["kind"] = "zone",
            ["version"] = ruleset.Version.ToString(CultureInfo.InvariantCulture),
            ["phase"] = ruleset.Phase,
            ["last_updated"] = Stamp(ruleset.LastUpdated),
        };
        if (withRules)
        {
            json["rules"] = new JsonArray([.. ruleset.Rules.Select(r => (JsonNode)RuleJson(r))]);
        }

        return json;
    }

    private static JsonObject RuleJson(CloudflareRule rule)
    {
        var json = new JsonObject
        {
            ["id"] = rule.Id,
            ["version"] = rule.Version.ToString(CultureInfo.InvariantCulture),
            ["action"] = rule.Action,
            ["expression"] = rule.Expression,
            ["description"] = rule.Fields["description"]?.DeepClone() ?? "",
            ["last_updated"] = Stamp(rule.LastUpdated),
            ["ref"] = rule.Ref,
            ["enabled"] = rule.Fields["enabled"]?.DeepClone() ?? true,
        };
        foreach (var (name, value) in rule.Fields)
        {
            if (!json.ContainsKey(name))
            {
                json[name] = value?.DeepClone();
            }
        }

        return json;
    }
}
