using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>Akamai → neutral: a deployed rule tree and hostnames read back into a spec (for get, list and drift).</summary>
internal static class AkamaiReadBack
{
    /// <summary>The service id stamped on a rule tree's root comments; null when it is not Poppy's.</summary>
    public static string? Stamp(JsonObject? rules) => ServiceStamp.Parse(Text(rules?["comments"]));

    /// <summary>The manifest kept on a rule tree's root comments; null when absent or unreadable.</summary>
    public static ServiceSpec? Manifest(JsonObject? rules)
    {
        var comments = Text(rules?["comments"]);
        var newline = comments?.IndexOf('\n', StringComparison.Ordinal) ?? -1;
        return newline < 0 ? null : SpecManifest.FromComment(comments![(newline + 1)..]);
    }

    /// <summary>The CP code number in a rule tree's root <c>cpCode</c> behaviour; null when absent.</summary>
    public static long? CpCode(JsonObject? rules) =>
        Behaviors(rules).FirstOrDefault(b => Name(b) == "cpCode")?["options"]?["value"]?["id"] is JsonValue v && v.TryGetValue<long>(out var id) ? id : null;

    /// <summary>The spec a rule tree and hostnames describe. Names and what the vendor does not keep come from the manifest where it still lines up.</summary>
    public static ServiceSpec Read(JsonObject rules, IReadOnlyList<HostnameItem> hostnames, ServiceSpec? manifest)
    {
        var domains = hostnames.Select(h => Domain(h, manifest)).ToList();

        // Origins: the root's, then the children routed by path (their index is in the rule name).
        var rootOrigin = Behaviors(rules).FirstOrDefault(b => Name(b) == "origin");
        var originRules = Children(rules, "poppy origin ").Select(c => (Index: c.Index, Paths: Paths(c.Rule), Origin: Behaviors(c.Rule).FirstOrDefault(b => Name(b) == "origin"))).ToList();
        var count = originRules.Count == 0 ? 1 : Math.Max(originRules.Max(o => o.Index) + 1, originRules.Count + 1);
        var defaultIndex = Enumerable.Range(0, count).FirstOrDefault(i => originRules.All(o => o.Index != i), -1);
        if (defaultIndex < 0)
        {
            defaultIndex = originRules.FirstOrDefault(o => JsonNode.DeepEquals(o.Origin?["options"], rootOrigin?["options"])).Index;
        }

        var origins = new List<OriginSpec>();
        for (var i = 0; i < count; i++)
        {
            var child = originRules.FirstOrDefault(o => o.Index == i);
            var behavior = i == defaultIndex ? rootOrigin : child.Origin;
            var paths = new List<string>();
            if (i == defaultIndex && (manifest is null || manifest.Origins.Count <= i || manifest.Origins[i].Rules.Any(r => CapabilityChecker.IsCatchAll(AkamaiTranslator.Normalize(r.RequestUrl)))))
            {
                paths.Add("/*");
            }

            paths.AddRange(child.Paths ?? []);
            var m = manifest is not null && manifest.Origins.Count > i ? manifest.Origins[i] : null;
            origins.Add(Origin(behavior?["options"] as JsonObject, paths, m));
        }

        // Caching: the root's catch-all, then per-path children.
        var caching = new List<CachingRule>();
        var rootCaching = Behaviors(rules).FirstOrDefault(b => Name(b) == "caching");
        var cachingChildren = Children(rules, "poppy caching ").ToList();
        var cachingCount = Math.Max(cachingChildren.Count == 0 ? 0 : cachingChildren.Max(c => c.Index) + 1, cachingChildren.Count + (rootCaching is null ? 0 : 1));
        var rootCachingIndex = rootCaching is null ? -1 : Enumerable.Range(0, cachingCount).FirstOrDefault(i => cachingChildren.All(c => c.Index != i), -1);
        if (rootCaching is not null && rootCachingIndex < 0)
        {
            rootCachingIndex = cachingChildren.FirstOrDefault(c => Ttl(Behaviors(c.Rule).FirstOrDefault(b => Name(b) == "caching")) == Ttl(rootCaching)).Index;
        }

        for (var i = 0; i < cachingCount; i++)
        {
            var child = cachingChildren.FirstOrDefault(c => c.Index == i && c.Rule is not null);
            var paths = new List<string>();
            int? ttl = null;
            if (i == rootCachingIndex)
            {
                paths.Add("/*");
                ttl = Ttl(rootCaching);
            }

            if (child.Rule is not null)
            {
                paths.AddRange(Paths(child.Rule));
                ttl ??= Ttl(Behaviors(child.Rule).FirstOrDefault(b => Name(b) == "caching"));
            }

            var m = manifest?.Caching is { } mc && mc.Count > i ? mc[i] : null;
            caching.Add(new CachingRule(m?.Name ?? "caching-" + AkamaiTranslator.I(i), ttl ?? 0, Named(paths, m?.Rules, "rule")));
        }

        // Restrictions: one child per restriction, kind and path.
        var restrictions = new List<Restriction>();
        foreach (var group in Children(rules, "poppy restriction ").GroupBy(c => c.Index).OrderBy(g => g.Key))
        {
            var access = RestrictionAccess.Blacklist;
            var list = new List<RestrictionRule>();
            foreach (var (_, rule) in group)
            {
                var path = Paths(rule).FirstOrDefault() ?? "/*";
                foreach (var criterion in Criteria(rule).Where(c => Name(c) != "path"))
                {
                    var o = criterion["options"] as JsonObject;
                    if (Text(o?["matchOperator"]) == "IS_NOT_ONE_OF")
                    {
                        access = RestrictionAccess.Whitelist;
                    }

                    switch (Name(criterion))
                    {
                        case "requestHeader":
                            list.AddRange(Values(o?["values"]).Select(v => RestrictionRule.ForReferrer(Referrer(v), path)));
                            break;
                        case "userLocation":
                            list.AddRange(Values(o?["countryValues"]).Select(v => RestrictionRule.ForGeography(v, path)));
                            break;
                        case "clientIp":
                            list.AddRange(Values(o?["values"]).Select(v => RestrictionRule.ForClientIp(v, path)));
                            break;
                    }
                }
            }

            var m = manifest is not null && manifest.Restrictions.Count > restrictions.Count ? manifest.Restrictions[restrictions.Count] : null;
            if (m is not null && m.Access == access && SameRules(m.Rules, list))
            {
                restrictions.Add(m);
            }
            else
            {
                restrictions.Add(new Restriction(m?.Name ?? "restriction-" + AkamaiTranslator.I(restrictions.Count), access, list));
            }
        }

        return new ServiceSpec
        {
            Name = manifest?.Name ?? Stamp(rules) ?? "",
            FlavorId = manifest?.FlavorId ?? "",
            Domains = domains,
            Origins = origins,
            Caching = caching,
            Restrictions = restrictions,
            LogDelivery = manifest?.LogDelivery ?? LogDelivery.Disabled,
        };
    }

    private static DomainSpec Domain(HostnameItem hostname, ServiceSpec? manifest)
    {
        var desired = manifest?.Domains.FirstOrDefault(d => string.Equals(d.Domain, hostname.CnameFrom, StringComparison.OrdinalIgnoreCase));
        if (hostname.CertProvisioningType == "DEFAULT")
        {
            return new DomainSpec(hostname.CnameFrom.ToLowerInvariant(), DomainProtocol.Https, CertificateKind.Sni);
        }

        // CPS_MANAGED: HTTP, or HTTPS on a certificate the account enrolled; only the manifest can tell which.
        return desired is { Protocol: DomainProtocol.Https, Certificate: CertificateKind.San or CertificateKind.Custom }
            ? desired
            : new DomainSpec(hostname.CnameFrom.ToLowerInvariant());
    }

    private static OriginSpec Origin(JsonObject? options, List<string> paths, OriginSpec? manifest)
    {
        var hostHeader = Text(options?["forwardHostHeader"]) switch
        {
            "ORIGIN_HOSTNAME" => HostHeaderType.Origin,
            "CUSTOM" => HostHeaderType.Custom,
            _ => HostHeaderType.Domain,
        };
        var ssl = options?["originSni"] is JsonValue sni && sni.TryGetValue<bool>(out var s) && s;
        var port = Int(options?[ssl ? "httpsPort" : "httpPort"]) ?? (ssl ? 443 : 80);
        return new OriginSpec(Text(options?["hostname"]) ?? "", port, ssl)
        {
            HostHeaderType = hostHeader,
            HostHeaderValue = hostHeader switch
            {
                HostHeaderType.Custom => Text(options?["customForwardHostHeader"]),
                HostHeaderType.Origin => Text(options?["hostname"]),
                _ => null,
            },
            Rules = Named(paths, manifest?.Rules, "rule"),
        };
    }

    private static List<PathRule> Named(List<string> paths, IReadOnlyList<PathRule>? manifest, string fallback)
    {
        var rules = new List<PathRule>();
        for (var i = 0; i < paths.Count; i++)
        {
            var m = manifest?.FirstOrDefault(r => AkamaiTranslator.Normalize(r.RequestUrl) == paths[i]);
            rules.Add(m ?? new PathRule(CapabilityChecker.IsCatchAll(paths[i]) ? "default" : fallback + "-" + AkamaiTranslator.I(i), paths[i]));
        }

        return rules;
    }

    private static bool SameRules(IReadOnlyList<RestrictionRule> desired, List<RestrictionRule> read)
    {
        static IEnumerable<string> Keys(IEnumerable<RestrictionRule> rules) => rules
            .SelectMany(r => r.Geography is { } g && GeographyCatalog.TryResolve(g, out var codes) ? codes.Select(c => "g:" + c + ":" + AkamaiTranslator.Normalize(r.RequestUrl ?? "/*")) : [$"{r.Kind}:{r.Value?.ToLowerInvariant()}:{AkamaiTranslator.Normalize(r.RequestUrl ?? "/*")}"])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return Keys(desired).SequenceEqual(Keys(read), StringComparer.Ordinal);
    }

    private static string Referrer(string value)
    {
        var v = value.StartsWith("*://", StringComparison.Ordinal) ? value[4..] : value;
        return v.EndsWith("/*", StringComparison.Ordinal) ? v[..^2] : v;
    }

    private static int? Ttl(JsonNode? caching)
    {
        var o = caching?["options"];
        if (Text(o?["behavior"]) is "NO_STORE" or "BYPASS_CACHE")
        {
            return 0;
        }

        var ttl = Text(o?["ttl"]);
        if (ttl is not { Length: > 1 } || !int.TryParse(ttl.AsSpan(0, ttl.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return ttl[^1] switch { 'd' => n * 86_400, 'h' => n * 3_600, 'm' => n * 60, _ => n };
    }

    private static IEnumerable<(int Index, JsonObject Rule)> Children(JsonObject? rules, string prefix)
    {
        foreach (var child in (rules?["children"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(child["name"]);
            if (name is not null && name.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(prefix.Length).ToString().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                yield return (index, child);
            }
        }
    }

    private static List<string> Paths(JsonObject? rule) =>
        Criteria(rule).Where(c => Name(c) == "path").SelectMany(c => Values(c["options"]?["values"])).ToList();

    private static IEnumerable<JsonObject> Behaviors(JsonObject? rule) => (rule?["behaviors"] as JsonArray ?? []).OfType<JsonObject>();

    private static IEnumerable<JsonObject> Criteria(JsonObject? rule) => (rule?["criteria"] as JsonArray ?? []).OfType<JsonObject>();

    private static string? Name(JsonObject node) => Text(node["name"]);

    private static IEnumerable<string> Values(JsonNode? array) =>
        (array as JsonArray ?? []).Select(Text).OfType<string>();

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
