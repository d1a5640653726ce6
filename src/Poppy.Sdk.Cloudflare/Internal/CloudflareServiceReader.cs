using System.Text.Json;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.Cloudflare.Internal.Api;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>The rules of one phase entry point: its id (null when the phase has none yet) and this service's rules, in order.</summary>
internal sealed record PhaseRules(string Phase, string? RulesetId, IReadOnlyList<CfRuleDto> Ours);

/// <summary>
/// Finds a Poppy service on the SaaS zone (its custom hostnames by <c>custom_metadata</c> stamp, its rules by <c>ref</c>)
/// and reads it back into the neutral model, with drift.
/// </summary>
internal sealed class CloudflareServiceReader(CloudflareApi api, CloudflareTranslator translator, string providerName, ILogger logger)
{
    /// <summary>Whether a custom hostname carries this service's stamp.</summary>
    public static bool IsStamped(CfCustomHostnameDto hostname, string serviceId) =>
        hostname.CustomMetadata is { } m && m.TryGetValue(ServiceStamp.TagKey, out var id) && string.Equals(id, serviceId, StringComparison.Ordinal);

    /// <summary>The service id stamped on a custom hostname; null when Poppy did not create it.</summary>
    public static string? StampOf(CfCustomHostnameDto hostname) =>
        hostname.CustomMetadata is { } m && m.TryGetValue(ServiceStamp.TagKey, out var id) && ServiceStamp.Problem(id) is null ? id : null;

    /// <summary>
    /// The existing custom hostnames of <paramref name="domains"/> (looked up by name); a hostname stamped for another
    /// service, or not stamped, is a non-transient 409: Poppy never takes over a hostname it did not create for this service.
    /// </summary>
    public async Task<Dictionary<string, CfCustomHostnameDto>> FindByNameAsync(string serviceId, IEnumerable<string> domains, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, CfCustomHostnameDto>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in domains)
        {
            if (await api.Hostnames.FindAsync(domain, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                found[domain] = RequireOwned(existing, serviceId);
            }
        }

        return found;
    }

    /// <summary>Every custom hostname stamped for the service (pages through the zone's custom hostnames).</summary>
    public async Task<List<CfCustomHostnameDto>> ScanAsync(string serviceId, CancellationToken cancellationToken)
    {
        var result = new List<CfCustomHostnameDto>();
        for (var page = 1; ; page++)
        {
            var (items, hasMore) = await api.Hostnames.ListAsync(page, cancellationToken).ConfigureAwait(false);
            result.AddRange(items.Where(h => IsStamped(h, serviceId)));
            if (!hasMore)
            {
                return result;
            }
        }
    }

    /// <summary>This service's rules in each phase (three reads).</summary>
    public async Task<List<PhaseRules>> ReadRulesAsync(string serviceId, CancellationToken cancellationToken)
    {
        var phases = new List<PhaseRules>();
        foreach (var phase in Phases.All)
        {
            var ruleset = await api.Rulesets.GetEntryPointAsync(phase, cancellationToken).ConfigureAwait(false);
            phases.Add(Ours(phase, ruleset, serviceId));
        }

        return phases;
    }

    public static PhaseRules Ours(string phase, CfRulesetDto? ruleset, string serviceId) =>
        new(phase, ruleset?.Id, (ruleset?.Rules ?? []).Where(r => RuleRef.BelongsTo(r.Ref, serviceId)).ToList());

    public CfCustomHostnameDto RequireOwned(CfCustomHostnameDto hostname, string serviceId)
    {
        if (IsStamped(hostname, serviceId))
        {
            return hostname;
        }

        var stamp = StampOf(hostname);
        throw new CdnRequestFailedException(
            providerName,
            stamp is null
                ? $"Custom hostname '{hostname.Hostname}' exists on the zone but Poppy did not create it for service '{serviceId}'; Poppy will not change a hostname it did not create."
                : $"Custom hostname '{hostname.Hostname}' belongs to Poppy service '{stamp}', not '{serviceId}'.",
            409,
            CdnErrorCode.Conflict,
            isTransient: false);
    }

    /// <summary>
    /// Reads a service back: domains from its custom hostnames, origins and caching from its origin and cache rules,
    /// restrictions from the stamped manifest; <see cref="ProviderService.Drift"/> compares with the manifest, and lists
    /// every rule whose content differs from what the manifest's spec would write.
    /// </summary>
    public ProviderService ReadService(string serviceId, IReadOnlyList<CfCustomHostnameDto> hostnames, IReadOnlyList<PhaseRules> rules, ProviderStatus? status = null)
    {
        var ordered = hostnames.OrderBy(h => h.Hostname, StringComparer.Ordinal).ToList();
        var holder = hostnames.FirstOrDefault(h => h.CustomMetadata?.Keys.Any(k => k.StartsWith("poppy:manifest:", StringComparison.Ordinal)) == true);
        var desired = holder?.CustomMetadata is { } metadata ? SpecManifest.Join(metadata) : null;
        var domains = ordered.Select(h =>
        {
            var wanted = desired?.Domains.FirstOrDefault(d => string.Equals(d.Domain, h.Hostname, StringComparison.OrdinalIgnoreCase));
            return wanted ?? new DomainSpec(h.Hostname ?? "");
        }).ToList();
        if (desired is not null)
        {
            domains = domains.OrderBy(d => desired.Domains.ToList().FindIndex(x => x.Domain == d.Domain) is var i && i < 0 ? int.MaxValue : i).ToList();
        }

        var origins = ReadOrigins(rules.First(p => p.Phase == Phases.Origin).Ours, desired);
        var caching = ReadCaching(rules.First(p => p.Phase == Phases.Cache).Ours, desired);
        var read = new ServiceSpec
        {
            Name = desired?.Name ?? serviceId,
            FlavorId = desired?.FlavorId ?? "",
            Domains = domains,
            Origins = origins,
            Caching = caching,
            Restrictions = desired?.Restrictions ?? [],
            LogDelivery = desired?.LogDelivery ?? LogDelivery.Disabled,
        };

        var differences = new List<SpecDifference>();
        if (desired is not null)
        {
            differences.AddRange(ServiceSpecComparer.Compare(desired, read));
            if (translator.Translate(serviceId, desired).Config is { } config)
            {
                foreach (var phase in rules)
                {
                    var wanted = config.InPhase(phase.Phase).ToList();
                    foreach (var rule in wanted)
                    {
                        var actual = phase.Ours.FirstOrDefault(r => r.Ref == rule.Ref);
                        if (actual is null || !CloudflareServiceWriter.Same(actual, rule))
                        {
                            differences.Add(new SpecDifference($"/rules/{phase.Phase}/{rule.Ref}", JsonString(rule.Expression), actual?.Expression is { } e ? JsonString(e) : null));
                        }
                    }

                    foreach (var extra in phase.Ours.Where(r => wanted.All(w => w.Ref != r.Ref)))
                    {
                        differences.Add(new SpecDifference($"/rules/{phase.Phase}/{extra.Ref}", null, JsonString(extra.Expression ?? "")));
                    }
                }
            }

            differences = differences.DistinctBy(d => d.Path).ToList();
            if (differences.Count > 0)
            {
                CloudflareLog.Drift(logger, serviceId, string.Join("; ", differences));
            }
        }

        var state = status ?? Status(hostnames, domains);
        return new ProviderService
        {
            Details = translator.Details(providerName, serviceId, Domains(ordered, domains), state),
            Spec = read,
            Drift = differences,
        };
    }

    /// <summary>Each domain's HTTPS flag and certificate status, for the details.</summary>
    public static IEnumerable<(string, bool, CertificateStatus)> Domains(IEnumerable<CfCustomHostnameDto> hostnames, IReadOnlyList<DomainSpec> wanted) =>
        hostnames.Select(h => (h.Hostname ?? "", wanted.FirstOrDefault(d => d.Domain == h.Hostname)?.Protocol == DomainProtocol.Https, CertificateOf(h)));

    public static CertificateStatus CertificateOf(CfCustomHostnameDto hostname) => hostname.Ssl?.Status switch
    {
        "active" => CertificateStatus.Deployed,
        null => CertificateStatus.None,
        "deleted" or "pending_deletion" or "deactivating" or "inactive" => CertificateStatus.Cancelled,
        var s when s.EndsWith("_timed_out", StringComparison.Ordinal) || s == "expired" => CertificateStatus.Failed,
        _ => CertificateStatus.CreateInProgress,
    };

    /// <summary>Deployed when every hostname (and every HTTPS domain's certificate) is active; failed when one cannot become so.</summary>
    public static ProviderStatus Status(IReadOnlyList<CfCustomHostnameDto> hostnames, IReadOnlyList<DomainSpec> domains)
    {
        if (hostnames.Any(h => Failure(h, domains) is not null))
        {
            return ProviderStatus.Failed;
        }

        return hostnames.All(h => Ready(h, domains)) ? ProviderStatus.Deployed : ProviderStatus.CreateInProgress;
    }

    public static bool Ready(CfCustomHostnameDto h, IReadOnlyList<DomainSpec> domains) =>
        h.Status == "active" && (domains.FirstOrDefault(d => d.Domain == h.Hostname)?.Protocol != DomainProtocol.Https || h.Ssl?.Status == "active");

    /// <summary>Why a hostname cannot become active (blocked, moved, a validation that timed out); null when it still can.</summary>
    public static string? Failure(CfCustomHostnameDto h, IReadOnlyList<DomainSpec> domains)
    {
        if (h.Status is "blocked" or "moved" or "deleted" or "pending_deletion" or "test_failed" or "test_blocked")
        {
            return $"custom hostname '{h.Hostname}' is {h.Status}";
        }

        var https = domains.FirstOrDefault(d => d.Domain == h.Hostname)?.Protocol == DomainProtocol.Https;
        return https && CertificateOf(h) is CertificateStatus.Failed or CertificateStatus.Cancelled
            ? $"the certificate of '{h.Hostname}' is {h.Ssl?.Status}" + (h.Ssl?.ValidationErrors is { Count: > 0 } errors ? ": " + string.Join("; ", errors.Select(e => e.Message)) : "")
            : null;
    }

    private static List<OriginSpec> ReadOrigins(IReadOnlyList<CfRuleDto> rules, ServiceSpec? desired)
    {
        var origins = new List<OriginSpec>();
        foreach (var rule in rules)
        {
            if (rule.ActionParameters is not { ValueKind: JsonValueKind.Object } p || !p.TryGetProperty("origin", out var o) || o.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var host = o.TryGetProperty("host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() ?? "" : "";
            var port = o.TryGetProperty("port", out var pt) && pt.TryGetInt32(out var n) ? n : 80;
            var header = p.TryGetProperty("host_header", out var hh) && hh.ValueKind == JsonValueKind.String ? hh.GetString() : null;
            var wanted = desired?.Origins.FirstOrDefault(x => x.Origin == host && x.Port == port);
            var path = PathOf(rule.Expression);
            var name = wanted?.Rules.FirstOrDefault(r => Normalize(r.RequestUrl) == path)?.Name ?? "default";
            var index = origins.FindIndex(x => x.Origin == host && x.Port == port);
            if (index >= 0)
            {
                origins[index] = origins[index] with { Rules = [.. origins[index].Rules, new PathRule(name, path)] };
                continue;
            }

            origins.Add(new OriginSpec(host, port, wanted?.Ssl ?? false)
            {
                Rules = [new PathRule(name, path)],
                HostHeaderType = header is null ? HostHeaderType.Domain : header == host ? HostHeaderType.Origin : HostHeaderType.Custom,
                HostHeaderValue = header,
            });
        }

        if (desired is not null)
        {
            // Keep the manifest's order of origins and of their rules (Cloudflare holds catch-alls first).
            origins = origins.OrderBy(o => desired.Origins.ToList().FindIndex(d => d.Origin == o.Origin && d.Port == o.Port) is var i && i < 0 ? int.MaxValue : i)
                .Select(o => desired.Origins.FirstOrDefault(d => d.Origin == o.Origin && d.Port == o.Port) is { } d
                    ? o with { Rules = o.Rules.OrderBy(r => d.Rules.ToList().FindIndex(x => Normalize(x.RequestUrl) == r.RequestUrl) is var k && k < 0 ? int.MaxValue : k).ToList() }
                    : o)
                .ToList();
        }

        return origins;
    }

    private static List<CachingRule> ReadCaching(IReadOnlyList<CfRuleDto> rules, ServiceSpec? desired)
    {
        var caching = new List<CachingRule>();
        foreach (var rule in rules)
        {
            if (rule.ActionParameters is not { ValueKind: JsonValueKind.Object } p)
            {
                continue;
            }

            var cache = !p.TryGetProperty("cache", out var c) || c.ValueKind != JsonValueKind.False;
            var ttl = cache && p.TryGetProperty("edge_ttl", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("default", out var d) && d.TryGetInt32(out var n) ? n : 0;
            var path = PathOf(rule.Expression);
            var wanted = desired?.Caching?.FirstOrDefault(x => x.Ttl == ttl && x.Rules.Any(r => Normalize(r.RequestUrl) == path));
            var name = wanted?.Name ?? "default";
            var ruleName = wanted?.Rules.First(r => Normalize(r.RequestUrl) == path).Name ?? name;
            var index = caching.FindIndex(x => x.Name == name && x.Ttl == ttl);
            if (index >= 0)
            {
                caching[index] = caching[index] with { Rules = [.. caching[index].Rules, new PathRule(ruleName, path)] };
            }
            else
            {
                caching.Add(new CachingRule(name, ttl, new PathRule(ruleName, path)));
            }
        }

        if (desired?.Caching is { } wantedCaching)
        {
            caching = caching.OrderBy(c => wantedCaching.ToList().FindIndex(d => d.Name == c.Name) is var i && i < 0 ? int.MaxValue : i)
                .Select(c => wantedCaching.FirstOrDefault(d => d.Name == c.Name) is { } d
                    ? c with { Rules = c.Rules.OrderBy(r => d.Rules.ToList().FindIndex(x => Normalize(x.RequestUrl) == r.RequestUrl) is var k && k < 0 ? int.MaxValue : k).ToList() }
                    : c)
                .ToList();
        }

        return caching;
    }

    /// <summary>The request URL of a rule expression Poppy wrote (host scope, then at most one path condition).</summary>
    public static string PathOf(string? expression)
    {
        if (expression is null)
        {
            return "/*";
        }

        var and = expression.IndexOf("} and ", StringComparison.Ordinal);
        if (and < 0)
        {
            return "/*";
        }

        var condition = expression[(and + 6)..];
        string? Literal(string prefix, string suffix) =>
            condition.StartsWith(prefix, StringComparison.Ordinal) && condition.EndsWith(suffix, StringComparison.Ordinal)
                ? Unescape(condition[prefix.Length..^suffix.Length])
                : null;
        return Literal("starts_with(" + RulesExpression.PathField + ", ", ")") is { } prefixPath ? prefixPath + "*"
            : Literal(RulesExpression.PathField + " eq ", "") is { } exact ? exact
            : Literal(RulesExpression.PathField + " strict wildcard ", "") is { } pattern ? pattern
            : "/*";
    }

    private static string? Unescape(string literal)
    {
        if (literal.Length < 2 || literal[0] != '"' || literal[^1] != '"')
        {
            return null;
        }

        var sb = new System.Text.StringBuilder();
        for (var i = 1; i < literal.Length - 1; i++)
        {
            if (literal[i] == '\\' && i + 1 < literal.Length - 1)
            {
                i++;
            }

            sb.Append(literal[i]);
        }

        return sb.ToString();
    }

    private static string Normalize(string url) => url == "*" ? "/*" : url.StartsWith('/') ? url : "/" + url;

    private static string JsonString(string value) => JsonSerializer.Serialize(value, CloudflareJsonContext.Default.String);
}
