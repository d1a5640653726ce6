using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Translates the neutral model to the Fastly objects of one service version and back. Pure: no I/O.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Domains: one Fastly domain each; a <c>shared</c> HTTPS domain <c>label</c> becomes <c>label.&lt;SharedCertificateDomain&gt;</c>.</item>
/// <item>Origins: backend <c>poppy-origin-{i}</c>; the first is the default backend, every later one gets a REQUEST
/// condition <c>poppy-origin-{i}-route</c> on <c>req.url.path</c> built from its path rules.</item>
/// <item>Caching: the rule holding <c>/*</c> sets <c>general.default_ttl</c>; other paths get a CACHE condition and cache settings
/// <c>poppy-cache-{i}</c> (action <c>cache</c>, or <c>pass</c> for TTL 0).</item>
/// <item>Restrictions: one REQUEST condition <c>poppy-restrictions</c> (the OR of one deny clause per kind × access × path group),
/// client IPs in ACLs <c>poppy_acl_{k}</c>, and one 403 response object <c>poppy-forbidden</c>.</item>
/// <item>The version comment holds the manifest (<see cref="SpecManifest"/>): the neutral spec, so names and order survive a read-back.</item>
/// </list>
/// </remarks>
internal sealed partial class FastlyTranslator
{
    public const string RestrictionConditionName = "poppy-restrictions";
    public const string ForbiddenResponseName = "poppy-forbidden";
    public const string BackendPrefix = "poppy-origin-";
    public const string CachePrefix = "poppy-cache-";
    public const string AclPrefix = "poppy_acl_";
    private const string RouteSuffix = "-route";
    private const int RestrictionPriority = 10;

    private readonly string _accessUrlTarget;
    private readonly string _sharedSuffix;
    private readonly string _forbiddenContent;
    private readonly Func<string, IReadOnlyList<string>?> _resolveGeography;

    public FastlyTranslator(FastlyCdnProviderOptions options, Func<string, IReadOnlyList<string>?>? resolveGeography = null)
    {
        _accessUrlTarget = options.AccessUrlTarget;
        _sharedSuffix = "." + options.SharedCertificateDomain.Trim().TrimEnd('.').ToLowerInvariant();
        _forbiddenContent = options.ForbiddenResponseContent;
        _resolveGeography = resolveGeography ?? (g => GeographyCatalog.TryResolve(g, out var codes) ? codes : null);
    }

    // ------------------------------------------------------------------ naming and stamps

    /// <summary>The deterministic Fastly service name for a Poppy service id (Fastly's search is by exact name).</summary>
    public static string ServiceName(string serviceId) => "poppy-" + serviceId;

    /// <summary>The service comment that stamps the Poppy service id (<see cref="ServiceStamp"/>).</summary>
    public static string ServiceComment(string serviceId) => ServiceStamp.Format(serviceId);

    public static string BackendName(int index) => BackendPrefix + index.ToString(CultureInfo.InvariantCulture);

    public static string RouteConditionName(int index) => BackendName(index) + RouteSuffix;

    public static string CacheName(int index) => CachePrefix + index.ToString(CultureInfo.InvariantCulture);

    public static string AclName(int index) => AclPrefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether an object name is one Poppy manages (other objects in the service are left alone).</summary>
    public static bool IsManaged(string name) => name.StartsWith("poppy-", StringComparison.Ordinal) || name.StartsWith(AclPrefix, StringComparison.Ordinal);

    // ------------------------------------------------------------------ neutral → Fastly

    /// <summary>Builds the Fastly objects for a validated, normalised spec.</summary>
    /// <exception cref="CdnValidationException">A value cannot be expressed (for example an unknown geography).</exception>
    public FastlyConfig ToFastly(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<ValidationProblem>();
        var domains = spec.Domains.Select(d => new DomainObject(FastlyDomainName(d))).ToList();
        var (backends, routeConditions) = Origins(spec.Origins);
        var (defaultTtl, cacheConditions, cacheSettings) = Caching(spec.Caching ?? []);
        var (restrictionCondition, acls, _) = Restrictions(spec.Restrictions, problems);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems);
        }

        var conditions = new List<ConditionObject>(routeConditions);
        conditions.AddRange(cacheConditions);
        var responses = new List<ResponseObject>();
        if (restrictionCondition is not null)
        {
            conditions.Add(restrictionCondition);
            responses.Add(new ResponseObject(ForbiddenResponseName, 403, "Forbidden", _forbiddenContent, "text/plain", RestrictionConditionName));
        }

        return new FastlyConfig
        {
            Domains = domains,
            Backends = backends,
            Conditions = conditions,
            CacheSettings = cacheSettings,
            ResponseObjects = responses,
            Acls = acls,
            DefaultTtl = defaultTtl,
            VersionComment = SpecManifest.ToComment(spec),
        };
    }

    /// <summary>The Fastly domain name of a neutral domain.</summary>
    public string FastlyDomainName(DomainSpec domain) =>
        domain.Protocol == DomainProtocol.Https && domain.Certificate == CertificateKind.Shared ? domain.Domain + _sharedSuffix : domain.Domain;

    /// <summary>The access URL (CNAME target, or the shared host itself) of a neutral domain.</summary>
    public AccessUrl AccessUrlOf(DomainSpec domain) =>
        domain.Protocol == DomainProtocol.Https && domain.Certificate == CertificateKind.Shared
            ? new AccessUrl(domain.Domain, domain.Domain + _sharedSuffix)
            : new AccessUrl(domain.Domain, _accessUrlTarget.Replace("{domain}", domain.Domain, StringComparison.Ordinal));

    /// <summary>The provider details of a deployed (or, when <paramref name="status"/> says so, pending) service.</summary>
    public ProviderServiceDetails Details(string providerName, string serviceId, string vendorServiceId, IReadOnlyList<DomainSpec> domains, ProviderStatus status)
    {
        var certificates = new Dictionary<string, CertificateStatus>(StringComparer.Ordinal);
        foreach (var domain in domains.Where(d => d.Protocol == DomainProtocol.Https))
        {
            // Only the shared certificate is mapped; it is always present.
            certificates[domain.Domain] = domain.Certificate == CertificateKind.Shared && status == ProviderStatus.Deployed
                ? CertificateStatus.Deployed
                : CertificateStatus.CreateInProgress;
        }

        return new ProviderServiceDetails
        {
            Provider = providerName,
            ServiceId = serviceId,
            VendorServiceId = vendorServiceId,
            Status = status,
            AccessUrls = domains.Select(AccessUrlOf).ToList(),
            CertificateStatuses = certificates,
        };
    }

    private static (List<BackendObject> Backends, List<ConditionObject> Conditions) Origins(IReadOnlyList<OriginSpec> origins)
    {
        var backends = new List<BackendObject>(origins.Count);
        var conditions = new List<ConditionObject>();
        for (var i = 0; i < origins.Count; i++)
        {
            var (backend, condition) = Origin(origins[i], i);
            backends.Add(backend);
            if (condition is not null)
            {
                conditions.Add(condition);
            }
        }

        return (backends, conditions);
    }

    private static (BackendObject Backend, ConditionObject? Route) Origin(OriginSpec origin, int index)
    {
        var host = origin.Origin.Trim('[', ']');
        var isIp = IPAddress.TryParse(host, out _);
        var overrideHost = origin.HostHeaderType switch
        {
            HostHeaderType.Origin => origin.HostHeaderValue ?? host,
            HostHeaderType.Custom => origin.HostHeaderValue,
            _ => null,
        };

        // The name the origin's certificate is checked against and sent as SNI: its host name, or for an
        // IP origin the custom host header (an IP cannot be an SNI name).
        var tlsName = !origin.Ssl ? null : !isIp ? host : origin.HostHeaderType == HostHeaderType.Custom ? origin.HostHeaderValue : null;

        // The first origin is the default backend: it takes every request no route condition claims.
        ConditionObject? route = null;
        if (index > 0)
        {
            var paths = origin.Rules.Select(r => r.RequestUrl).ToList();
            route = new ConditionObject(RouteConditionName(index), "REQUEST", PathStatement(paths), 10 + Specificity(paths));
        }

        var backend = new BackendObject(BackendName(index), host, origin.Port, origin.Ssl, tlsName, tlsName, overrideHost, route?.Name);
        return (backend, route);
    }

    private static (int? DefaultTtl, List<ConditionObject> Conditions, List<CacheSettingObject> Settings) Caching(IReadOnlyList<CachingRule> caching)
    {
        int? defaultTtl = null;
        var conditions = new List<ConditionObject>();
        var settings = new List<CacheSettingObject>();
        for (var i = 0; i < caching.Count; i++)
        {
            var rule = caching[i];
            var rules = rule.Rules.Count == 0 ? [new PathRule("default", VclEscaper.CatchAll)] : rule.Rules;
            if (rules.Any(r => CapabilityChecker.IsCatchAll(r.RequestUrl)))
            {
                defaultTtl = rule.Ttl;
            }

            var paths = rules.Where(r => !CapabilityChecker.IsCatchAll(r.RequestUrl)).Select(r => r.RequestUrl).ToList();
            if (paths.Count == 0)
            {
                continue;
            }

            // Cache settings with an action end vcl_fetch, so the first match wins: more specific paths go first.
            var name = CacheName(i);
            conditions.Add(new ConditionObject(name, "CACHE", PathStatement(paths), Math.Max(1, 1000 - Specificity(paths))));
            settings.Add(new CacheSettingObject(name, rule.Ttl, rule.Ttl == 0 ? "pass" : "cache", name));
        }

        return (defaultTtl, conditions, settings);
    }

    /// <summary>The number of literal characters in the most specific pattern (used to order conditions).</summary>
    private static int Specificity(IEnumerable<string> paths) =>
        Math.Min(900, paths.Select(p => p.Count(c => c != '*')).DefaultIfEmpty(0).Max());

    /// <summary><c>req.url.path ~ "…" || …</c> for path patterns.</summary>
    public static string PathStatement(IEnumerable<string> requestUrls) =>
        string.Join(" || ", requestUrls.Select(u => "req.url.path ~ " + VclEscaper.Quote(VclEscaper.PathPatternToRegex(u))));

    private sealed class RestrictionGroup(RestrictionKind kind, RestrictionAccess access, string path)
    {
        public RestrictionKind Kind { get; } = kind;

        public RestrictionAccess Access { get; } = access;

        public string Path { get; } = path;

        public List<string> Values { get; } = [];

        public List<AclEntryObject> Entries { get; } = [];
    }

    /// <summary>Which restriction group an ACL serves (for reading client IPs back).</summary>
    private sealed record AclGroup(string AclName, RestrictionAccess Access, string Path);

    private (ConditionObject? Condition, List<AclObject> Acls, List<AclGroup> AclGroups) Restrictions(IReadOnlyList<Restriction> restrictions, List<ValidationProblem> problems)
    {
        var groups = new List<RestrictionGroup>();
        for (var i = 0; i < restrictions.Count; i++)
        {
            var restriction = restrictions[i];
            for (var j = 0; j < restriction.Rules.Count; j++)
            {
                var rule = restriction.Rules[j];
                if (rule.Kind is not { } kind || rule.Value is not { } value)
                {
                    problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}", "The rule needs exactly one of referrer, geography or client_ip."));
                    continue;
                }

                var path = NormalizePath(rule.RequestUrl ?? VclEscaper.CatchAll);
                var group = groups.Find(g => g.Kind == kind && g.Access == restriction.Access && g.Path == path);
                if (group is null)
                {
                    group = new RestrictionGroup(kind, restriction.Access, path);
                    groups.Add(group);
                }

                switch (kind)
                {
                    case RestrictionKind.Referrer:
                        AddDistinct(group.Values, value.Trim().ToLowerInvariant());
                        break;
                    case RestrictionKind.Geography:
                        if (_resolveGeography(value.Trim()) is not { Count: > 0 } codes || codes.Any(c => c.Length != 2 || !c.All(char.IsAsciiLetterUpper)))
                        {
                            problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}/geography", $"'{value}' is not a known geography."));
                            continue;
                        }

                        foreach (var code in codes)
                        {
                            AddDistinct(group.Values, code);
                        }

                        break;
                    default:
                        if (ParseAclEntry(value) is not { } entry)
                        {
                            problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}/client_ip", $"'{value}' is not an IP address or network."));
                            continue;
                        }

                        if (!group.Entries.Contains(entry))
                        {
                            group.Entries.Add(entry);
                        }

                        break;
                }
            }
        }

        if (groups.Count == 0)
        {
            return (null, [], []);
        }

        var clauses = new List<string>(groups.Count);
        var acls = new List<AclObject>();
        var aclGroups = new List<AclGroup>();
        foreach (var group in groups)
        {
            var test = group.Kind switch
            {
                RestrictionKind.Referrer => "req.http.Referer ~ " + VclEscaper.Quote(VclEscaper.RefererRegex(group.Values)),
                RestrictionKind.Geography => "client.geo.country_code ~ " + VclEscaper.Quote(VclEscaper.CountryRegex(group.Values)),
                _ => "client.ip ~ " + AddAcl(acls, aclGroups, group),
            };

            // A whitelist denies what does not match (a request without a Referer does not match); a blacklist denies what does.
            var deny = group.Access == RestrictionAccess.Whitelist ? "!(" + test + ")" : test;
            clauses.Add(CapabilityChecker.IsCatchAll(group.Path)
                ? "(" + deny + ")"
                : "(req.url.path ~ " + VclEscaper.Quote(VclEscaper.PathPatternToRegex(group.Path)) + " && " + deny + ")");
        }

        return (new ConditionObject(RestrictionConditionName, "REQUEST", string.Join(" || ", clauses), RestrictionPriority), acls, aclGroups);
    }

    private static string AddAcl(List<AclObject> acls, List<AclGroup> aclGroups, RestrictionGroup group)
    {
        var name = AclName(acls.Count);
        acls.Add(new AclObject(name, group.Entries.ToList()));
        aclGroups.Add(new AclGroup(name, group.Access, group.Path));
        return name;
    }

    private static void AddDistinct(List<string> values, string value)
    {
        if (!values.Contains(value, StringComparer.Ordinal))
        {
            values.Add(value);
        }
    }

    private static string NormalizePath(string url) => url.StartsWith('/') ? url : "/" + url;

    /// <summary>Parses <c>ip[/prefix]</c> into an ACL entry with the address in canonical form.</summary>
    public static AclEntryObject? ParseAclEntry(string clientIp)
    {
        var text = clientIp.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        int? subnet = null;
        if (slash >= 0)
        {
            if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            {
                return null;
            }

            subnet = s;
        }

        return new AclEntryObject(ip.ToString(), subnet, false);
    }

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

    [GeneratedRegex("^req\\.url\\.path ~ \"([^\"]*)\"$", RegexOptions.CultureInvariant)]
    private static partial Regex PathClause();
}
