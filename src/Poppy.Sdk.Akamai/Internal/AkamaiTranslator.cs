using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Neutral → Akamai: the property's name, its edge hostname, its hostnames and its rule tree, or every problem Akamai
/// would raise. Every user string reaches the rule tree as a JSON string value written by <see cref="JsonNode"/> (escaped,
/// never concatenated into JSON text), and each one that Akamai reads as a pattern is checked first: path match values
/// treat <c>*</c> and <c>?</c> as wildcards, so a request URL with <c>?</c> (a query string) is refused. Rule names in the
/// tree are Poppy's own (<c>poppy origin 1</c>); the spec's names live in the manifest on the root rule's comments.
/// </summary>
internal sealed class AkamaiTranslator(AkamaiCdnProviderOptions options)
{
    /// <summary>The option to change when HTTPS domains need Enhanced TLS.</summary>
    public const string EdgeHostnameRemedy = "Akamai:EdgeHostnameDomain";

    /// <summary>The prefix of every Poppy property, edge hostname, CP code and service cache tag.</summary>
    public const string NamePrefix = "poppy-";

    /// <summary>The most hostnames one property version takes in Poppy's mapping (PAPI's limit per property is higher; the neutral model allows 10).</summary>
    public const int MaxHostnames = 100;

    /// <summary>The reason id the <c>denyAccess</c> behaviour of every restriction carries.</summary>
    public const string DenyReason = "poppy-restriction";

    public AkamaiCdnProviderOptions Options => options;

    /// <summary>The property name of a service: <c>poppy-&lt;id&gt;</c> when the id is made of letters, digits, <c>_ . -</c> (and short enough), else <c>poppy-</c> and a hash of it.</summary>
    public static string PropertyName(string serviceId) => NamePrefix + Token(serviceId, 79, allowUpper: true);

    /// <summary>The edge hostname prefix of a service: <c>poppy-&lt;id&gt;</c> in lower-case DNS letters, or a hash.</summary>
    public static string EdgeHostnamePrefix(string serviceId) => NamePrefix + Token(serviceId, 57, allowUpper: false);

    /// <summary>The edge hostname of a service (its access URL): the prefix under the configured domain.</summary>
    public string EdgeHostname(string serviceId) => EdgeHostnamePrefix(serviceId) + "." + options.EdgeHostnameDomain;

    /// <summary>The cache tag every object of a service carries (the <c>cacheTag</c> behaviour), used to purge everything when the CP code is shared.</summary>
    public static string ServiceTag(string serviceId) => NamePrefix + Token(serviceId, 100, allowUpper: true);

    /// <summary>Every problem Akamai would raise for a validated spec (the capability check is the planner's).</summary>
    public IReadOnlyList<ValidationProblem> Problems(ServiceSpec spec)
    {
        var problems = new List<ValidationProblem>();
        for (var i = 0; i < spec.Domains.Count; i++)
        {
            var domain = spec.Domains[i];
            if (domain.Protocol == DomainProtocol.Https && options.EdgeHostnameDomain != AkamaiCdnProviderOptions.EdgeKey)
            {
                problems.Add(new ValidationProblem($"/domains/{i}/protocol", $"HTTPS domain '{domain.Domain}' needs an Enhanced TLS edge hostname (edgekey.net); this provider uses {options.EdgeHostnameDomain}.") { Remedy = EdgeHostnameRemedy + " = edgekey.net" });
            }
        }

        for (var i = 0; i < spec.Origins.Count; i++)
        {
            for (var r = 0; r < spec.Origins[i].Rules.Count; r++)
            {
                CheckPath(problems, $"/origins/{i}/rules/{r}/request_url", spec.Origins[i].Rules[r].RequestUrl);
            }
        }

        var caching = spec.Caching ?? [];
        for (var i = 0; i < caching.Count; i++)
        {
            for (var r = 0; r < caching[i].Rules.Count; r++)
            {
                CheckPath(problems, $"/caching/{i}/rules/{r}/request_url", caching[i].Rules[r].RequestUrl);
            }
        }

        for (var i = 0; i < spec.Restrictions.Count; i++)
        {
            for (var r = 0; r < spec.Restrictions[i].Rules.Count; r++)
            {
                var rule = spec.Restrictions[i].Rules[r];
                CheckPath(problems, $"/restrictions/{i}/rules/{r}/request_url", rule.RequestUrl ?? "/*");
                if (rule.Geography is { } geo && !GeographyCatalog.TryResolve(geo, out _))
                {
                    problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{r}/geography", $"'{geo}' is not a country or region Poppy can expand to Akamai country codes."));
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// The rule tree of a spec (<c>{"rules": …}</c>'s value): root <c>default</c> with the default origin, the CP code, the
    /// catch-all caching, the service's cache tag, then children: origins routed by path, caching per path, and one
    /// <c>denyAccess</c> rule per restriction kind and path.
    /// </summary>
    /// <param name="serviceId">The service (its stamp and manifest go in the root rule's comments).</param>
    /// <param name="spec">A validated spec without problems.</param>
    /// <param name="cpCode">The CP code's number; null shows <c>{cp_code}</c> (the offline plan, before the CP code exists).</param>
    public JsonObject Rules(string serviceId, ServiceSpec spec, long? cpCode)
    {
        var children = new JsonArray();
        var root = new JsonObject
        {
            ["name"] = "default",
            ["comments"] = Comments(serviceId, spec),
            ["options"] = new JsonObject { ["is_secure"] = spec.Domains.Any(d => d.Protocol == DomainProtocol.Https) },
            ["criteria"] = new JsonArray(),
            ["criteriaMustSatisfy"] = "all",
        };
        var behaviors = new JsonArray();

        var defaultOrigin = DefaultOriginIndex(spec.Origins);
        behaviors.Add((JsonNode)Behavior("origin", OriginOptions(spec.Origins[defaultOrigin])));
        behaviors.Add((JsonNode)Behavior("cpCode", new JsonObject { ["value"] = new JsonObject { ["id"] = cpCode is { } id ? JsonValue.Create(id) : JsonValue.Create("{cp_code}") } }));
        for (var i = 0; i < spec.Origins.Count; i++)
        {
            var paths = spec.Origins[i].Rules.Select(r => Normalize(r.RequestUrl)).Where(p => !CapabilityChecker.IsCatchAll(p)).ToList();
            if (paths.Count > 0)
            {
                children.Add((JsonNode)Rule($"poppy origin {I(i)}", [PathCriterion(paths)], [Behavior("origin", OriginOptions(spec.Origins[i]))]));
            }
        }

        var caching = spec.Caching ?? [];
        for (var i = 0; i < caching.Count; i++)
        {
            var paths = caching[i].Rules.Select(r => Normalize(r.RequestUrl)).ToList();
            if (paths.Any(CapabilityChecker.IsCatchAll))
            {
                behaviors.Add((JsonNode)Behavior("caching", CachingOptions(caching[i].Ttl)));
            }

            var scoped = paths.Where(p => !CapabilityChecker.IsCatchAll(p)).ToList();
            if (scoped.Count > 0)
            {
                children.Add((JsonNode)Rule($"poppy caching {I(i)}", [PathCriterion(scoped)], [Behavior("caching", CachingOptions(caching[i].Ttl))]));
            }
        }

        behaviors.Add((JsonNode)Behavior("cacheTag", new JsonObject { ["tag"] = ServiceTag(serviceId) }));

        for (var i = 0; i < spec.Restrictions.Count; i++)
        {
            var restriction = spec.Restrictions[i];
            var groups = restriction.Rules
                .Where(r => r.Kind is not null)
                .GroupBy(r => (Kind: r.Kind!.Value, Path: Normalize(r.RequestUrl ?? "/*")))
                .ToList();
            var n = 0;
            foreach (var group in groups)
            {
                var criteria = new List<JsonObject>();
                if (!CapabilityChecker.IsCatchAll(group.Key.Path))
                {
                    criteria.Add(PathCriterion([group.Key.Path]));
                }

                var op = restriction.Access == RestrictionAccess.Whitelist ? "IS_NOT_ONE_OF" : "IS_ONE_OF";
                criteria.Add(group.Key.Kind switch
                {
                    RestrictionKind.Referrer => Behavior("requestHeader", new JsonObject
                    {
                        ["headerName"] = "Referer",
                        ["matchOperator"] = op,
                        ["values"] = Strings(group.Select(r => "*://" + r.Referrer!.Trim().ToLowerInvariant() + "/*").Distinct(StringComparer.Ordinal)),
                        ["matchWildcardName"] = false,
                        ["matchWildcardValue"] = true,
                        ["matchCaseSensitiveValue"] = false,
                    }),
                    RestrictionKind.Geography => Behavior("userLocation", new JsonObject
                    {
                        ["field"] = "COUNTRY",
                        ["matchOperator"] = op,
                        ["countryValues"] = Strings(group.SelectMany(r => GeographyCatalog.TryResolve(r.Geography, out var codes) ? codes : []).Distinct(StringComparer.Ordinal)),
                        ["checkIps"] = "BOTH",
                        ["useOnlyFirstXForwardedForIp"] = false,
                    }),
                    _ => Behavior("clientIp", new JsonObject
                    {
                        ["matchOperator"] = op,
                        ["values"] = Strings(group.Select(r => r.ClientIp!.Trim()).Distinct(StringComparer.Ordinal)),
                        ["useHeaders"] = false,
                    }),
                });
                children.Add((JsonNode)Rule($"poppy restriction {I(i)} {KindName(group.Key.Kind)} {I(n++)}", criteria, [Behavior("denyAccess", new JsonObject { ["reason"] = DenyReason, ["enabled"] = true })]));
            }
        }

        root["behaviors"] = behaviors;
        root["children"] = children;
        return root;
    }

    /// <summary>The hostnames of a spec (the bare array PUT to a version): every domain CNAMEd to the service's edge hostname.</summary>
    public IReadOnlyList<HostnameItem> Hostnames(string serviceId, ServiceSpec spec) =>
        spec.Domains.Select(d => new HostnameItem
        {
            CnameType = "EDGE_HOSTNAME",
            CnameFrom = d.Domain,
            CnameTo = EdgeHostname(serviceId),
            // Secure by Default: Akamai issues and renews a DV certificate for the hostname. san and custom certificates
            // are enrolled in CPS by the account (CPS_MANAGED), as are HTTP-only hostnames.
            CertProvisioningType = d.Protocol == DomainProtocol.Https && d.Certificate == CertificateKind.Sni ? "DEFAULT" : "CPS_MANAGED",
        }).ToList();

    /// <summary>The root rule's comments: the stamp on the first line, the manifest on the second.</summary>
    public static string Comments(string serviceId, ServiceSpec spec) => ServiceStamp.Format(serviceId) + "\n" + SpecManifest.ToComment(spec);

    /// <summary>The version note (the PUT's top-level <c>comments</c>): the stamp.</summary>
    public static string VersionNote(string serviceId) => ServiceStamp.Format(serviceId);

    /// <summary>The origin that serves the root rule: the one with a catch-all rule, else the first.</summary>
    public static int DefaultOriginIndex(IReadOnlyList<OriginSpec> origins)
    {
        for (var i = 0; i < origins.Count; i++)
        {
            if (origins[i].Rules.Any(r => CapabilityChecker.IsCatchAll(Normalize(r.RequestUrl))))
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>A request URL with its leading <c>/</c>.</summary>
    public static string Normalize(string requestUrl) => requestUrl.StartsWith('/') ? requestUrl : "/" + requestUrl;

    /// <summary>A TTL as PAPI writes it: the largest exact unit (<c>1d</c>, <c>2h</c>, <c>30m</c>, <c>90s</c>).</summary>
    public static string Ttl(int seconds) => seconds switch
    {
        0 => "0s",
        _ when seconds % 86_400 == 0 => I(seconds / 86_400) + "d",
        _ when seconds % 3_600 == 0 => I(seconds / 3_600) + "h",
        _ when seconds % 60 == 0 => I(seconds / 60) + "m",
        _ => I(seconds) + "s",
    };

    public static string KindName(RestrictionKind kind) => kind switch
    {
        RestrictionKind.Referrer => "referrer",
        RestrictionKind.Geography => "geography",
        _ => "client_ip",
    };

    public static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonObject OriginOptions(OriginSpec origin)
    {
        var o = new JsonObject
        {
            ["originType"] = "CUSTOMER",
            ["hostname"] = origin.Origin,
            ["forwardHostHeader"] = origin.HostHeaderType switch
            {
                HostHeaderType.Origin => "ORIGIN_HOSTNAME",
                HostHeaderType.Custom => "CUSTOM",
                _ => "REQUEST_HOST_HEADER",
            },
        };
        if (origin.HostHeaderType == HostHeaderType.Custom)
        {
            o["customForwardHostHeader"] = origin.HostHeaderValue;
        }

        o["cacheKeyHostname"] = "ORIGIN_HOSTNAME";
        o["compress"] = true;
        o["enableTrueClientIp"] = false;

        // Akamai reaches the origin over the viewer's protocol; the spec's port is the one of its ssl choice.
        o["httpPort"] = origin.Ssl ? 80 : origin.Port;
        o["httpsPort"] = origin.Ssl ? origin.Port : 443;
        if (origin.Ssl)
        {
            o["originSni"] = true;
            o["verificationMode"] = "PLATFORM_SETTINGS";
        }

        return o;
    }

    private static JsonObject CachingOptions(int ttl) => ttl == 0
        ? new JsonObject { ["behavior"] = "NO_STORE" }
        : new JsonObject { ["behavior"] = "MAX_AGE", ["mustRevalidate"] = false, ["ttl"] = Ttl(ttl) };

    private static JsonObject PathCriterion(IEnumerable<string> paths) => Behavior("path", new JsonObject
    {
        ["matchOperator"] = "MATCHES_ONE_OF",
        ["values"] = Strings(paths),
        ["matchCaseSensitive"] = false,
        ["normalize"] = false,
    });

    private static JsonObject Rule(string name, IEnumerable<JsonObject> criteria, IEnumerable<JsonObject> behaviors) => new()
    {
        ["name"] = name,
        ["criteria"] = new JsonArray([.. criteria]),
        ["behaviors"] = new JsonArray([.. behaviors]),
        ["children"] = new JsonArray(),
        ["criteriaMustSatisfy"] = "all",
    };

    private static JsonObject Behavior(string name, JsonObject options) => new() { ["name"] = name, ["options"] = options };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static void CheckPath(List<ValidationProblem> problems, string path, string requestUrl)
    {
        var url = Normalize(requestUrl);
        if (url.Contains('?', StringComparison.Ordinal))
        {
            problems.Add(new ValidationProblem(path, $"'{requestUrl}' has a '?': Akamai path matches never see the query string, and read '?' as a one-character wildcard."));
        }
        else if (url.Any(c => c <= ' ' || c >= 127))
        {
            problems.Add(new ValidationProblem(path, $"'{requestUrl}' has spaces, control or non-ASCII characters; Akamai matches the encoded path, so write it percent-encoded."));
        }
    }

    private static string Token(string serviceId, int max, bool allowUpper)
    {
        if (serviceId.Length <= max && serviceId.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || c == '-' || (allowUpper && (char.IsAsciiLetterUpper(c) || c is '_' or '.'))) && !serviceId.EndsWith('-'))
        {
            return serviceId;
        }

        if (serviceId == AkamaiPlanner.PlanServiceId)
        {
            return serviceId;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serviceId)))[..32];
    }
}
