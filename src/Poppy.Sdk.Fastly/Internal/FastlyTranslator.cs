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

    /// <summary>
    /// Translates a validated, normalised spec into the Fastly objects of one version, or reports every problem
    /// Fastly would raise (each with its path and what to change). The only translation create and update use.
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The objects, or the problems.</returns>
    public FastlyTranslation Translate(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<ValidationProblem>();
        CheckDomains(spec.Domains, problems);
        CheckPaths(spec, problems);
        var domains = spec.Domains.Select(d => new DomainObject(FastlyDomainName(d))).ToList();
        var (backends, routeConditions) = Origins(spec.Origins);
        var (defaultTtl, cacheConditions, cacheSettings) = Caching(spec.Caching ?? []);
        var (restrictionCondition, acls, _) = Restrictions(spec.Restrictions, problems);
        if (problems.Count > 0)
        {
            return new FastlyTranslation(null, problems);
        }

        var conditions = new List<ConditionObject>(routeConditions);
        conditions.AddRange(cacheConditions);
        var responses = new List<ResponseObject>();
        if (restrictionCondition is not null)
        {
            conditions.Add(restrictionCondition);
            responses.Add(new ResponseObject(ForbiddenResponseName, 403, "Forbidden", _forbiddenContent, "text/plain", RestrictionConditionName));
        }

        return new FastlyTranslation(
            new FastlyConfig
            {
                Domains = domains,
                Backends = backends,
                Conditions = conditions,
                CacheSettings = cacheSettings,
                ResponseObjects = responses,
                Acls = acls,
                DefaultTtl = defaultTtl,
                VersionComment = SpecManifest.ToComment(spec),
            },
            []);
    }

    /// <summary>The objects for a spec <see cref="Translate"/> accepts (tests and tools).</summary>
    /// <exception cref="CdnValidationException">The spec has problems on Fastly.</exception>
    public FastlyConfig ToFastly(ServiceSpec spec) =>
        Translate(spec) is { Config: { } config } ? config : throw new CdnValidationException(Translate(spec).Problems);

    /// <summary>
    /// Domains under the shared certificate's domain are Fastly's own host names: one is asked for as a shared HTTPS
    /// domain (<c>label</c>), and a plain domain there would be read back as one (and may collide with it).
    /// </summary>
    private void CheckDomains(IReadOnlyList<DomainSpec> domains, List<ValidationProblem> problems)
    {
        for (var i = 0; i < domains.Count; i++)
        {
            var domain = domains[i];
            var name = FastlyDomainName(domain);
            var shared = domain.Protocol == DomainProtocol.Https && domain.Certificate == CertificateKind.Shared;
            if (!shared && name.EndsWith(_sharedSuffix, StringComparison.OrdinalIgnoreCase))
            {
                var label = name[..^_sharedSuffix.Length];
                problems.Add(new ValidationProblem(
                    $"/domains/{i}/domain",
                    $"'{name}' is under Fastly's shared certificate domain '{_sharedSuffix[1..]}', which Fastly serves itself.")
                {
                    Remedy = $"ask for it as {{\"domain\": \"{label}\", \"protocol\": \"https\", \"certificate\": \"shared\"}}",
                });
            }

            if (shared && (name.Length > 253 || name.Split('.').Any(l => l.Length > 63)))
            {
                problems.Add(new ValidationProblem($"/domains/{i}/domain", $"The shared certificate host '{name}' is not a valid host name (at most 253 characters, labels of at most 63).")
                {
                    Remedy = "Fastly:SharedCertificateDomain, or a shorter label",
                });
            }
        }
    }

    /// <summary>Fastly matches <c>req.url.path</c>, which has no query string and no fragment: such a pattern would never match.</summary>
    private static void CheckPaths(ServiceSpec spec, List<ValidationProblem> problems)
    {
        void Check(string? url, string path)
        {
            if (url is not null && url.IndexOfAny(['?', '#']) >= 0)
            {
                problems.Add(new ValidationProblem(path, $"request_url '{url}' has a query string or fragment; Fastly matches the path only (req.url.path), so it would never match.")
                {
                    Remedy = "remove the '?…' or '#…' part of request_url",
                });
            }
        }

        for (var i = 0; i < spec.Origins.Count; i++)
        {
            for (var j = 0; j < spec.Origins[i].Rules.Count; j++)
            {
                Check(spec.Origins[i].Rules[j].RequestUrl, $"/origins/{i}/rules/{j}/request_url");
            }
        }

        var caching = spec.Caching ?? [];
        for (var i = 0; i < caching.Count; i++)
        {
            for (var j = 0; j < caching[i].Rules.Count; j++)
            {
                Check(caching[i].Rules[j].RequestUrl, $"/caching/{i}/rules/{j}/request_url");
            }
        }

        for (var i = 0; i < spec.Restrictions.Count; i++)
        {
            for (var j = 0; j < spec.Restrictions[i].Rules.Count; j++)
            {
                Check(spec.Restrictions[i].Rules[j].RequestUrl, $"/restrictions/{i}/rules/{j}/request_url");
            }
        }
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
                    problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}", "The rule needs exactly one of referrer, geography or client_ip.") { Remedy = "give the rule one of referrer, geography or client_ip" });
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
                            problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}/geography", $"'{value}' is not a known geography.") { Remedy = "an ISO 3166-1 alpha-2 code or one of Poppy's region names" });
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
                            problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}/client_ip", $"'{value}' is not an IP address or network.") { Remedy = "an IPv4 or IPv6 address with an optional /prefix" });
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

    [GeneratedRegex("^req\\.url\\.path ~ \"([^\"]*)\"$", RegexOptions.CultureInvariant)]
    private static partial Regex PathClause();
}
