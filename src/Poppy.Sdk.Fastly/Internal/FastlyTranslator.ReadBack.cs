using System.Globalization;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>Fastly → neutral: reads a version's objects back into the neutral model, with the manifest's names and order.</summary>
internal sealed partial class FastlyTranslator
{
    // ------------------------------------------------------------------ Fastly → neutral

    /// <summary>
    /// Reads a version's objects back into the neutral model. Values Fastly keeps (domains, backend
    /// addresses, ports, TLS, host headers, TTLs, ACL entries, condition statements) come from the
    /// objects; names and order come from the manifest. Where an object no longer matches what the
    /// manifest would produce (it was edited outside Poppy), the object wins and a drift note is returned.
    /// </summary>
    /// <param name="actual">The objects read from the version.</param>
    /// <param name="fallbackName">The service name when there is no manifest.</param>
    /// <returns>The spec and notes about drift.</returns>
    public (ServiceSpec Spec, IReadOnlyList<string> Drift) FromFastly(FastlyConfig actual, string fallbackName)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var drift = new List<string>();
        var manifest = SpecManifest.FromComment(actual.VersionComment);
        if (manifest is null)
        {
            drift.Add("the version has no Poppy manifest; names are reconstructed from the objects");
        }

        var domains = ReadDomains(actual, manifest);
        var origins = ReadOrigins(actual, manifest, drift);
        var caching = ReadCaching(actual, manifest, drift);
        var restrictions = ReadRestrictions(actual, manifest, drift);
        var spec = new ServiceSpec
        {
            Name = manifest?.Name ?? fallbackName,
            FlavorId = manifest?.FlavorId ?? "",
            Domains = domains,
            Origins = origins,
            Caching = caching,
            Restrictions = restrictions,
            LogDelivery = manifest?.LogDelivery ?? LogDelivery.Disabled,
        };
        return (spec, drift);
    }

    private List<DomainSpec> ReadDomains(FastlyConfig actual, ServiceSpec? manifest)
    {
        var read = actual.Domains.Select(d => d.Name.EndsWith(_sharedSuffix, StringComparison.OrdinalIgnoreCase)
            ? new DomainSpec(d.Name[..^_sharedSuffix.Length], DomainProtocol.Https, CertificateKind.Shared)
            : new DomainSpec(d.Name)).ToList();
        if (manifest is null)
        {
            return read;
        }

        // Keep the manifest's order for the domains still present, then any added outside Poppy.
        var ordered = manifest.Domains.Where(read.Contains).ToList();
        ordered.AddRange(read.Where(d => !ordered.Contains(d)));
        return ordered;
    }

    private static List<OriginSpec> ReadOrigins(FastlyConfig actual, ServiceSpec? manifest, List<string> drift)
    {
        var backends = actual.Backends
            .Select(b => (Index: IndexOf(b.Name, BackendPrefix), Backend: b))
            .Where(x => x.Index >= 0)
            .OrderBy(x => x.Index)
            .ToList();
        var origins = new List<OriginSpec>(backends.Count);
        foreach (var (index, backend) in backends)
        {
            var route = backend.RequestCondition is { } rc ? actual.Conditions.FirstOrDefault(c => c.Name == rc) : null;
            var expected = manifest is not null && index < manifest.Origins.Count ? manifest.Origins[index] : null;
            if (expected is not null)
            {
                var (wantBackend, wantRoute) = Origin(expected, index);
                if (wantBackend == backend && wantRoute == route)
                {
                    origins.Add(expected);
                    continue;
                }

                drift.Add($"backend '{backend.Name}' differs from what Poppy configured");
            }

            var host = backend.Address;
            var (type, value) = backend.OverrideHost switch
            {
                null or "" => (HostHeaderType.Domain, (string?)null),
                var h when string.Equals(h, host, StringComparison.OrdinalIgnoreCase) => (HostHeaderType.Origin, h),
                var h => (HostHeaderType.Custom, h),
            };
            var rules = route is not null && TryParsePathStatement(route.Statement, out var urls)
                ? MatchNames(urls, expected?.Rules)
                : expected?.Rules ?? (index == 0 ? [new PathRule("default", VclEscaper.CatchAll)] : []);
            origins.Add(new OriginSpec
            {
                Origin = host.Contains(':', StringComparison.Ordinal) ? host : host.ToLowerInvariant(),
                Port = backend.Port,
                Ssl = backend.UseSsl,
                Rules = rules,
                HostHeaderType = type,
                HostHeaderValue = value,
            });
        }

        return origins;
    }

    private static List<CachingRule>? ReadCaching(FastlyConfig actual, ServiceSpec? manifest, List<string> drift)
    {
        if (manifest is null)
        {
            var derived = new List<CachingRule>();
            if (actual.DefaultTtl is { } ttl)
            {
                derived.Add(new CachingRule("default", ttl, new PathRule("default", VclEscaper.CatchAll)));
            }

            foreach (var setting in actual.CacheSettings.Where(s => IsManaged(s.Name)))
            {
                var condition = actual.Conditions.FirstOrDefault(c => c.Name == setting.CacheCondition);
                if (condition is not null && TryParsePathStatement(condition.Statement, out var urls))
                {
                    derived.Add(new CachingRule(setting.Name, setting.Ttl, MatchNames(urls, null).ToArray()));
                }
            }

            return derived;
        }

        if (manifest.Caching is null)
        {
            return null;
        }

        var caching = new List<CachingRule>(manifest.Caching.Count);
        for (var i = 0; i < manifest.Caching.Count; i++)
        {
            var rule = manifest.Caching[i];
            var rules = rule.Rules.Count == 0 ? [new PathRule("default", VclEscaper.CatchAll)] : rule.Rules;
            var catchAll = rules.Where(r => CapabilityChecker.IsCatchAll(r.RequestUrl)).ToList();
            var pathRules = rules.Where(r => !CapabilityChecker.IsCatchAll(r.RequestUrl)).ToList();
            var read = new List<PathRule>();
            int? ttl = null;
            if (catchAll.Count > 0 && actual.DefaultTtl is { } defaultTtl)
            {
                read.AddRange(catchAll);
                ttl = defaultTtl;
            }

            if (pathRules.Count > 0)
            {
                var name = CacheName(i);
                var setting = actual.CacheSettings.FirstOrDefault(s => s.Name == name);
                var condition = actual.Conditions.FirstOrDefault(c => c.Name == name);
                if (setting is not null && condition is not null)
                {
                    var paths = pathRules.Select(r => r.RequestUrl).ToList();
                    if (condition.Statement == PathStatement(paths))
                    {
                        read.AddRange(pathRules);
                    }
                    else if (TryParsePathStatement(condition.Statement, out var urls))
                    {
                        drift.Add($"condition '{name}' differs from what Poppy configured");
                        read.AddRange(MatchNames(urls, pathRules));
                    }

                    if (ttl is { } t && t != setting.Ttl)
                    {
                        drift.Add($"caching rule '{rule.Name}' has different TTLs for '/*' and its other paths");
                    }

                    ttl ??= setting.Ttl;
                }
                else
                {
                    drift.Add($"cache settings '{name}' are missing");
                }
            }

            if (ttl is { } finalTtl && read.Count > 0)
            {
                caching.Add(rule with { Ttl = finalTtl, Rules = read });
            }
        }

        return caching;
    }

    private List<Restriction> ReadRestrictions(FastlyConfig actual, ServiceSpec? manifest, List<string> drift)
    {
        var condition = actual.Conditions.FirstOrDefault(c => c.Name == RestrictionConditionName);
        if (manifest is null || manifest.Restrictions.Count == 0)
        {
            if (condition is not null && manifest is null)
            {
                drift.Add("restrictions cannot be read without the manifest");
            }

            return [];
        }

        if (condition is null)
        {
            drift.Add($"condition '{RestrictionConditionName}' is missing");
            return [];
        }

        var (wantCondition, wantAcls, aclGroups) = Restrictions(manifest.Restrictions, []);
        var actualAcls = actual.Acls.Where(a => a.Name.StartsWith(AclPrefix, StringComparison.Ordinal)).ToDictionary(a => a.Name, StringComparer.Ordinal);
        if (wantCondition != condition)
        {
            drift.Add($"condition '{RestrictionConditionName}' differs from what Poppy configured");
        }

        // Client IPs live in ACL entries, which change without a new version: report what the ACLs hold.
        var rules = manifest.Restrictions.Select(r => r.Rules.ToList()).ToList();
        foreach (var (want, group) in wantAcls.Zip(aclGroups))
        {
            var have = actualAcls.TryGetValue(want.Name, out var acl) ? acl.Entries : [];
            if (want == new AclObject(want.Name, have))
            {
                continue;
            }

            drift.Add($"ACL '{want.Name}' differs from what Poppy configured");
            bool InGroup(Restriction r, RestrictionRule rule) =>
                r.Access == group.Access && rule.ClientIp is not null && NormalizePath(rule.RequestUrl ?? VclEscaper.CatchAll) == group.Path;
            var owner = -1;
            for (var i = 0; i < rules.Count; i++)
            {
                var restriction = manifest.Restrictions[i];
                if (rules[i].Any(rule => InGroup(restriction, rule)))
                {
                    owner = owner < 0 ? i : owner;
                }

                rules[i].RemoveAll(rule => InGroup(restriction, rule) && ParseAclEntry(rule.ClientIp!) is { } e && !have.Contains(e));
            }

            var n = 0;
            foreach (var extra in have.Where(e => !want.Entries.Contains(e)))
            {
                rules[Math.Max(owner, 0)].Add(RestrictionRule.ForClientIp(extra.ToCidr(), group.Path, "client-ip-" + (++n).ToString(CultureInfo.InvariantCulture)));
            }
        }

        return manifest.Restrictions.Select((r, i) => r with { Rules = rules[i] }).Where(r => r.Rules.Count > 0).ToList();
    }

    /// <summary>Parses a statement of the form <see cref="PathStatement"/> produces.</summary>
    public static bool TryParsePathStatement(string statement, out List<string> requestUrls)
    {
        requestUrls = [];
        var parts = statement.Split(" || ", StringSplitOptions.None);
        foreach (var part in parts)
        {
            var m = PathClause().Match(part.Trim());
            if (!m.Success || !VclEscaper.TryRegexToPathPattern(m.Groups[1].Value, out var url))
            {
                requestUrls = [];
                return false;
            }

            requestUrls.Add(url);
        }

        return requestUrls.Count > 0;
    }

    private static List<PathRule> MatchNames(List<string> urls, IReadOnlyList<PathRule>? named)
    {
        var rules = new List<PathRule>(urls.Count);
        for (var i = 0; i < urls.Count; i++)
        {
            var name = named?.FirstOrDefault(r => NormalizePath(r.RequestUrl) == urls[i])?.Name ?? "rule-" + (i + 1).ToString(CultureInfo.InvariantCulture);
            rules.Add(new PathRule(name, urls[i]));
        }

        return rules;
    }

    private static int IndexOf(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return -1;
        }

        return int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }
}
