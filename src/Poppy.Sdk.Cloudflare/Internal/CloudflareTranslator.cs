using System.Globalization;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>The limits of a Cloudflare plan that the offline plan checks (per zone; Poppy checks one service's share).</summary>
internal sealed record PlanLimits(int OriginRules, int CacheRules, int FirewallRules, int MinimumEdgeTtl, PurgeRateLimit PurgeRate, int UrlsPerPurgeCall)
{
    public static PlanLimits For(CloudflarePlanTier plan) => plan switch
    {
        CloudflarePlanTier.Pro => new(25, 25, 20, 3_600, new PurgeRateLimit(5, TimeSpan.FromSeconds(1), 25), 100),
        CloudflarePlanTier.Business => new(50, 50, 100, 1, new PurgeRateLimit(10, TimeSpan.FromSeconds(1), 50), 100),
        CloudflarePlanTier.Enterprise => new(300, 300, 1_000, 1, new PurgeRateLimit(50, TimeSpan.FromSeconds(1), 500), 500),
        _ => new(10, 10, 5, 7_200, new PurgeRateLimit(5, TimeSpan.FromMinutes(1), 25), 100),
    };
}

/// <summary>
/// Neutral → Cloudflare: each domain a custom hostname (stamped in <c>custom_metadata</c>), and the service's origin,
/// cache and custom firewall rules, each with a <c>ref</c> carrying the stamp and an expression scoped to the service's
/// hosts. Raises every Cloudflare-specific problem with its path (the capability check has run before).
/// </summary>
internal sealed class CloudflareTranslator(CloudflareCdnProviderOptions options)
{
    /// <summary>The remedy of plan-tier problems.</summary>
    public const string PlanRemedy = "Cloudflare:Plan";

    /// <summary>The metadata chunks the manifest may take on the first hostname (Cloudflare caps custom metadata per hostname).</summary>
    public const int ManifestChunkLength = 1_000;

    public const int ManifestMaxChunks = 3;

    private readonly PlanLimits _limits = PlanLimits.For(options.Plan);

    public PlanLimits Limits => _limits;

    /// <summary>Translates a validated, normalised spec; the config is null when there is a problem.</summary>
    public (CloudflareConfig? Config, List<ValidationProblem> Problems) Translate(string serviceId, ServiceSpec spec)
    {
        var problems = new List<ValidationProblem>();
        void Add(string path, string message, string? remedy = null) => problems.Add(new ValidationProblem(path, message) { Remedy = remedy });

        var hosts = spec.Domains.Select(d => d.Domain).ToList();
        var scope = RulesExpression.HostScope(hosts);
        var rules = new List<RuleObject>();

        // Origins: the default origin (the one with the catch-all rule) is each hostname's custom_origin_server; every
        // origin path rule is also an origin rule (port, host header), catch-alls first so more specific paths win.
        if (spec.Origins.Select(o => o.Ssl).Distinct().Count() > 1)
        {
            Add("/origins", "Cloudflare reaches every origin of a zone over the same scheme (the zone's SSL/TLS mode), so all origins must have the same 'ssl'.");
        }

        var defaultOrigin = spec.Origins.FirstOrDefault(o => o.Rules.Any(r => CapabilityChecker.IsCatchAll(r.RequestUrl))) ?? (spec.Origins.Count > 0 ? spec.Origins[0] : null);
        var originRules = new List<(int Origin, int Rule, bool CatchAll)>();
        for (var i = 0; i < spec.Origins.Count; i++)
        {
            for (var j = 0; j < spec.Origins[i].Rules.Count; j++)
            {
                originRules.Add((i, j, CapabilityChecker.IsCatchAll(spec.Origins[i].Rules[j].RequestUrl)));
            }
        }

        foreach (var (i, j, _) in originRules.OrderBy(r => r.CatchAll ? 0 : 1))
        {
            var origin = spec.Origins[i];
            var rule = origin.Rules[j];
            var path = RulesExpression.PathCondition(rule.RequestUrl, out var problem);
            if (problem is not null)
            {
                Add($"/origins/{i}/rules/{j}/request_url", $"Cannot route this path on Cloudflare: {problem}.");
                continue;
            }

            var parameters = Json(w =>
            {
                w.WriteStartObject();
                if (HostHeader(origin) is { } header)
                {
                    w.WriteString("host_header", header);
                }

                w.WriteStartObject("origin");
                w.WriteString("host", origin.Origin);
                w.WriteNumber("port", origin.Port);
                w.WriteEndObject();
                if (origin.Ssl && HostHeader(origin) is { } sni)
                {
                    w.WriteStartObject("sni");
                    w.WriteString("value", sni);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            });
            rules.Add(new RuleObject(Phases.Origin, RuleRef.Format(serviceId, "origin", rules.Count(r => r.Phase == Phases.Origin)), Describe(serviceId, $"origin '{rule.Name}' → {origin.Origin}:{origin.Port}"), RulesExpression.And(scope, path), "route", parameters));
        }

        // Caching: catch-alls first; TTL 0 bypasses the cache; a TTL under the plan's minimum edge TTL is refused.
        var caching = spec.Caching ?? [];
        var cacheRules = new List<(int Entry, int Rule, bool CatchAll)>();
        for (var i = 0; i < caching.Count; i++)
        {
            if (caching[i].Ttl > 0 && caching[i].Ttl < _limits.MinimumEdgeTtl)
            {
                Add($"/caching/{i}/ttl", string.Create(CultureInfo.InvariantCulture, $"TTL {caching[i].Ttl} s is below the {options.Plan} plan's minimum edge TTL of {_limits.MinimumEdgeTtl} s (use 0 to bypass the cache, at least {_limits.MinimumEdgeTtl}, or a plan with a lower minimum)."), PlanRemedy);
            }

            for (var j = 0; j < caching[i].Rules.Count; j++)
            {
                cacheRules.Add((i, j, CapabilityChecker.IsCatchAll(caching[i].Rules[j].RequestUrl)));
            }
        }

        foreach (var (i, j, _) in cacheRules.OrderBy(r => r.CatchAll ? 0 : 1))
        {
            var entry = caching[i];
            var path = RulesExpression.PathCondition(entry.Rules[j].RequestUrl, out var problem);
            if (problem is not null)
            {
                Add($"/caching/{i}/rules/{j}/request_url", $"Cannot cache this path on Cloudflare: {problem}.");
                continue;
            }

            var parameters = Json(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("cache", entry.Ttl > 0);
                if (entry.Ttl > 0)
                {
                    w.WriteStartObject("edge_ttl");
                    w.WriteString("mode", "override_origin");
                    w.WriteNumber("default", entry.Ttl);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            });
            rules.Add(new RuleObject(Phases.Cache, RuleRef.Format(serviceId, "cache", rules.Count(r => r.Phase == Phases.Cache)), Describe(serviceId, string.Create(CultureInfo.InvariantCulture, $"cache '{entry.Name}' ttl {entry.Ttl} s")), RulesExpression.And(scope, path), "set_cache_settings", parameters));
        }

        // Restrictions: one block rule per restriction, path and kind; a whitelist blocks what does not match.
        for (var i = 0; i < spec.Restrictions.Count; i++)
        {
            var restriction = spec.Restrictions[i];
            var groups = restriction.Rules
                .Select((r, j) => (Rule: r, Index: j))
                .GroupBy(x => (x.Rule.Kind, Url: x.Rule.RequestUrl ?? "/*"));
            foreach (var group in groups)
            {
                var first = group.First().Index;
                var path = RulesExpression.PathCondition(group.Key.Url, out var problem);
                if (problem is not null)
                {
                    Add($"/restrictions/{i}/rules/{first}/request_url", $"Cannot restrict this path on Cloudflare: {problem}.");
                    continue;
                }

                var conditions = new List<string>();
                foreach (var (rule, j) in group)
                {
                    if (Condition(rule, out var why) is { } condition)
                    {
                        conditions.Add(condition);
                    }
                    else
                    {
                        Add($"/restrictions/{i}/rules/{j}", $"Cannot express this restriction on Cloudflare: {why}.");
                    }
                }

                if (conditions.Count != group.Count())
                {
                    continue;
                }

                var match = "(" + string.Join(" or ", conditions) + ")";
                var expression = RulesExpression.And(scope, path, restriction.Access == RestrictionAccess.Whitelist ? "not " + match : match);
                rules.Add(new RuleObject(Phases.Firewall, RuleRef.Format(serviceId, "firewall", rules.Count(r => r.Phase == Phases.Firewall)), Describe(serviceId, $"{restriction.Access.ToString().ToLowerInvariant()} '{restriction.Name}'"), expression, "block", null));
            }
        }

        CheckCount(problems, "/origins", rules.Count(r => r.Phase == Phases.Origin), _limits.OriginRules, "origin");
        CheckCount(problems, "/caching", rules.Count(r => r.Phase == Phases.Cache), _limits.CacheRules, "cache");
        CheckCount(problems, "/restrictions", rules.Count(r => r.Phase == Phases.Firewall), _limits.FirewallRules, "custom firewall");

        if (problems.Count > 0 || defaultOrigin is null)
        {
            return (null, problems);
        }

        var manifest = SpecManifest.Split(spec, ManifestChunkLength, ManifestMaxChunks);
        var hostnames = new List<HostnameObject>();
        for (var i = 0; i < spec.Domains.Count; i++)
        {
            var domain = spec.Domains[i];
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [ServiceStamp.TagKey] = serviceId };
            if (i == 0)
            {
                foreach (var (key, value) in manifest)
                {
                    metadata[key] = value;
                }
            }

            var method = domain.Certificate == CertificateKind.San || (domain.Certificate is not null && options.ValidationMethod == CloudflareValidationMethod.Txt) ? "txt" : "http";
            var sni = defaultOrigin.Ssl ? HostHeader(defaultOrigin) ?? ":request_host_header:" : null;
            hostnames.Add(new HostnameObject(domain.Domain, method, domain.Protocol == DomainProtocol.Https, defaultOrigin.Origin, sni, metadata));
        }

        return (new CloudflareConfig(hostnames, rules), problems);
    }

    /// <summary>The details of a service: access URL per domain (the CNAME target), certificate status per HTTPS domain.</summary>
    public ProviderServiceDetails Details(string providerName, string serviceId, IEnumerable<(string Domain, bool Https, CertificateStatus Certificate)> domains, ProviderStatus status, string? operationId = null, ProviderError? error = null)
    {
        var list = domains.ToList();
        return new ProviderServiceDetails
        {
            Provider = providerName,
            ServiceId = serviceId,
            VendorServiceId = options.ZoneId,
            Status = status,
            AccessUrls = list.Select(d => new AccessUrl(d.Domain, options.AccessTarget)).ToList(),
            CertificateStatuses = list.Where(d => d.Https).ToDictionary(d => d.Domain, d => d.Certificate),
            OperationId = operationId,
            Error = error,
        };
    }

    private static string? HostHeader(OriginSpec origin) => origin.HostHeaderType switch
    {
        HostHeaderType.Origin => origin.Origin,
        HostHeaderType.Custom => origin.HostHeaderValue,
        _ => null,
    };

    private static string? Condition(RestrictionRule rule, out string? why)
    {
        why = null;
        switch (rule.Kind)
        {
            case RestrictionKind.Referrer when rule.Referrer is { } referrer:
                if (Uri.CheckHostName(referrer) != UriHostNameType.Dns)
                {
                    why = $"the referrer '{referrer}' is not a host name";
                    return null;
                }

                var http = RulesExpression.String("http://" + referrer + "/*", out why);
                var https = RulesExpression.String("https://" + referrer + "/*", out why);
                return http is null || https is null ? null : $"http.referer strict wildcard {http} or http.referer strict wildcard {https}";

            case RestrictionKind.Geography when rule.Geography is { } geography:
                if (!GeographyCatalog.TryResolve(geography, out var codes) || codes.Any(c => !RulesExpression.IsCountryCode(c)))
                {
                    why = $"'{geography}' is not a known country code or region";
                    return null;
                }

                return "ip.src.country in {" + string.Join(' ', codes.Select(RulesExpression.SafeString)) + "}";

            case RestrictionKind.ClientIp when rule.ClientIp is { } ip:
                if (RulesExpression.IpOrRange(ip) is not { } canonical)
                {
                    why = $"'{ip}' is not an IP address or CIDR range";
                    return null;
                }

                return "ip.src in {" + canonical + "}";

            default:
                why = "the rule has no referrer, geography or client_ip";
                return null;
        }
    }

    private void CheckCount(List<ValidationProblem> problems, string path, int count, int limit, string kind)
    {
        if (count > limit)
        {
            problems.Add(new ValidationProblem(path, string.Create(CultureInfo.InvariantCulture, $"The service needs {count} {kind} rules, but the {options.Plan} plan allows {limit} per zone (shared by every service on the zone).")) { Remedy = PlanRemedy });
        }
    }

    private static string Describe(string serviceId, string what)
    {
        var text = $"Poppy service {serviceId}: {what}";
        return text.Length <= 500 ? text : text[..500];
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Api.CloudflareRequests.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
