using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Translates the neutral model to a CloudFront plan (<see cref="Plan"/>: the distribution config, the viewer-request
/// function, the tags) and every problem CloudFront would raise. Pure: no I/O. This is the only place the translation
/// runs: <c>PlanService</c>, create, update and the read-back's drift check all call it. The reverse direction is
/// <see cref="ReadBack"/> (<c>CloudFrontTranslator.ReadBack.cs</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Every origin becomes a custom origin <c>poppy-origin-{i}</c> (CloudFront origins are DNS names, never IP addresses).</item>
/// <item>Every path of an origin rule or caching rule other than <c>/*</c> becomes a cache behaviour (most specific first)
/// targeting the origin that routes that path, with the TTL of the caching rule that covers it; the default behaviour
/// targets the first origin with the <c>/*</c> TTL.</item>
/// <item>Geography restrictions become the distribution's <c>GeoRestriction</c>; referrer and client-IP restrictions a
/// viewer-request CloudFront Function associated with every behaviour.</item>
/// <item>The neutral spec is kept, compressed, in the distribution's tags (<c>poppy:manifest:NN</c>), so names survive a read-back.</item>
/// </list>
/// </remarks>
internal sealed partial class CloudFrontTranslator
{
    public const int MaxComment = 128;
    public const string OriginPrefix = "poppy-origin-";
    public const int MaxAliases = 100;
    public const int MaxBehaviors = 75;
    public const int MaxTags = 50;
    public const int MaxTagValue = 256;
    public const long DefaultTtl = 86_400;
    public const long MaxTtl = 31_536_000;
    public const int MaxPathPattern = 255;
    #region acm-remedy (docs/extending/writing-a-provider.md)
    public const string AcmRemedy = "CloudFront:AcmCertificateArn";
    #endregion
    public const string PathPatternRemedy = "a request_url of at most 255 characters of A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + &, without '?'";
    public const string GeographyPathRemedy = "geography rules on request_url '/*' (CloudFront restricts geography per distribution)";
    public const string DnsOriginRemedy = "the origin's DNS name";

    /// <summary>The symbols CloudFront's developer guide allows in a path pattern besides ASCII letters and digits.</summary>
    private const string PathPatternSymbols = "_-.*$/~\"'@:+&";

    private readonly CloudFrontCdnProviderOptions _options;
    private readonly Func<string, IReadOnlyList<string>?> _resolveGeography;

    public CloudFrontTranslator(CloudFrontCdnProviderOptions options, Func<string, IReadOnlyList<string>?>? resolveGeography = null)
    {
        _options = options;
        _resolveGeography = resolveGeography ?? (g => GeographyCatalog.TryResolve(g, out var codes) ? codes : null);
    }

    // ------------------------------------------------------------------ names and stamps

    /// <summary>The distribution comment that stamps the Poppy service id (<see cref="ServiceStamp"/>; CloudFront's comment holds 128 characters).</summary>
    public static string Comment(string serviceId) => ServiceStamp.Format(serviceId, MaxComment);

    /// <summary>The service id a comment stamps (cut when the comment was); null when the comment is not a stamp.</summary>
    public static string? ReadStamp(string? comment) => ServiceStamp.Parse(comment);

    /// <summary>Whether a comment stamps this service id (the comment holds at most 128 characters, so long ids are compared by prefix).</summary>
    public static bool StampMatches(string? comment, string serviceId) => ServiceStamp.Matches(comment, serviceId, MaxComment);

    /// <summary>The CloudFront Function name of a service: <c>poppy-</c>, a readable part of the id and a hash (names allow <c>[A-Za-z0-9_-]{1,64}</c>).</summary>
    public static string FunctionName(string serviceId)
    {
        var readable = new string(serviceId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').Take(40).ToArray());
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serviceId)))[..12];
        return "poppy-" + readable + "-" + hash;
    }

    public static string OriginId(int index) => OriginPrefix + index.ToString(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ neutral → CloudFront

    /// <summary>
    /// Works out what a validated, normalised spec becomes on CloudFront — the only place the translation runs. Pure: no
    /// I/O. Returns the plan and every problem CloudFront would raise, each with its path and what to change
    /// (<see cref="ValidationProblem.Remedy"/>); the plan is only meaningful when there are none.
    /// </summary>
    /// <param name="serviceId">The Poppy service id (the caller reference and the comment stamp).</param>
    /// <param name="spec">The spec.</param>
    /// <returns>The plan and the problems.</returns>
    public (CloudFrontPlan Plan, IReadOnlyList<ValidationProblem> Problems) Plan(string serviceId, ServiceSpec spec)
    {
        var problems = new List<ValidationProblem>();
        var config = new DistributionConfig
        {
            CallerReference = serviceId,
            Comment = Comment(serviceId),
            Enabled = true,
            CacheTagHeaderName = string.IsNullOrWhiteSpace(_options.CacheTagHeaderName) ? null : _options.CacheTagHeaderName.Trim(),
        };

        Domains(spec, config, problems);
        Origins(spec, config, problems);
        var program = Restrictions(spec, config, problems);
        ViewerFunction? function = null;
        if (program is not null)
        {
            var code = ViewerRequestFunction.Code(program);
            function = new ViewerFunction(FunctionName(serviceId), program, code);
            var size = ViewerRequestFunction.Size(code);
            if (size > ViewerRequestFunction.MaxCodeBytes)
            {
                problems.Add(new ValidationProblem("/restrictions", string.Create(CultureInfo.InvariantCulture,
                    $"The referrer and client-IP restrictions need a CloudFront Function of {size} bytes; CloudFront allows {ViewerRequestFunction.MaxCodeBytes}."))
                { Remedy = "fewer referrer or client_ip values, or wider networks" });
            }
        }

        return (new CloudFrontPlan(config, function, Tags(serviceId, spec)), problems);
    }

    /// <summary>Whether a request URL can be a CloudFront path pattern: at most 255 characters (with its leading <c>/</c>) of A–Z, a–z, 0–9 and <c>_ - . * $ / ~ " ' @ : + &amp;</c>.</summary>
    /// <remarks>CloudFront also takes <c>?</c> as a one-character wildcard; Poppy's request URLs have no such wildcard, and a <c>?</c> meant as a query string would never match (path patterns see only the path), so it is refused.</remarks>
    public static bool IsPathPattern(string requestUrl)
    {
        var pattern = requestUrl.StartsWith('/') ? requestUrl : "/" + requestUrl;
        return pattern.Length <= MaxPathPattern && pattern.All(c => char.IsAsciiLetterOrDigit(c) || PathPatternSymbols.Contains(c, StringComparison.Ordinal));
    }

    private void Domains(ServiceSpec spec, DistributionConfig config, List<ValidationProblem> problems)
    {
        var acm = string.IsNullOrWhiteSpace(_options.AcmCertificateArn) ? null : _options.AcmCertificateArn.Trim();
        for (var i = 0; i < spec.Domains.Count; i++)
        {
            var domain = spec.Domains[i];
            if (domain.Protocol == DomainProtocol.Https && domain.Certificate == CertificateKind.Shared)
            {
                // Served on the distribution's own *.cloudfront.net name with CloudFront's certificate; not an alias.
                continue;
            }

            // Since 2019 CloudFront accepts an alternate domain name only with a certificate that covers it, HTTP or not.
            if (acm is null)
            {
                problems.Add(new ValidationProblem($"/domains/{i}/domain", $"CloudFront serves '{domain.Domain}' only with a certificate covering it (even over HTTP); set CloudFrontCdnProviderOptions.AcmCertificateArn to an ACM certificate in us-east-1 that covers the service's domains, or use a shared HTTPS domain.")
                { Remedy = AcmRemedy });
            }

            config.Aliases.Add(domain.Domain);
        }

        if (config.Aliases.Count > MaxAliases)
        {
            problems.Add(new ValidationProblem("/domains", $"{config.Aliases.Count} alternate domain names, but a distribution allows at most {MaxAliases}.") { Remedy = "at most 100 domains per service" });
        }

        config.ViewerCertificate = config.Aliases.Count > 0 && acm is not null
            ? new ViewerCertificate { AcmCertificateArn = acm, SslSupportMethod = "sni-only", MinimumProtocolVersion = _options.MinimumProtocolVersion }
            : new ViewerCertificate { CloudFrontDefaultCertificate = true, MinimumProtocolVersion = "TLSv1" };
    }

    private static string ViewerProtocolPolicy(ServiceSpec spec) =>
        spec.Domains.Count > 0 && spec.Domains.All(d => d.Protocol == DomainProtocol.Https) ? "redirect-to-https" : "allow-all";

    private void Origins(ServiceSpec spec, DistributionConfig config, List<ValidationProblem> problems)
    {
        for (var i = 0; i < spec.Origins.Count; i++)
        {
            var origin = spec.Origins[i];
            var host = origin.Origin.Trim('[', ']');
            if (IPAddress.TryParse(host, out _))
            {
                #region dns-origin-problem (docs/extending/writing-a-provider.md)
                problems.Add(new ValidationProblem($"/origins/{i}/origin", $"CloudFront origins must be DNS names; '{origin.Origin}' is an IP address.") { Remedy = DnsOriginRemedy });
                #endregion
            }

            if (origin.HostHeaderType == HostHeaderType.Custom ||
                (origin.HostHeaderType == HostHeaderType.Origin && origin.HostHeaderValue is { } value && !string.Equals(value, host, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add(new ValidationProblem($"/origins/{i}/hostheadervalue", "CloudFront sends either the viewer's host or the origin's own name as Host; a custom host header is not supported.") { Remedy = "hostheadertype 'domain' or 'origin'" });
            }

            config.Origins.Add(new CfOrigin
            {
                Id = OriginId(i),
                DomainName = host,
                HttpPort = origin.Ssl ? 80 : origin.Port,
                HttpsPort = origin.Ssl ? origin.Port : 443,
                ProtocolPolicy = origin.Ssl ? "https-only" : "http-only",
            });
        }

        // Every request URL that becomes a cache behaviour must be a CloudFront path pattern.
        var caching = spec.Caching ?? [];
        var refused = new HashSet<string>(StringComparer.Ordinal);
        void CheckPatterns(string section, int index, IReadOnlyList<PathRule> rules)
        {
            for (var j = 0; j < rules.Count; j++)
            {
                var url = rules[j].RequestUrl;
                if (!CapabilityChecker.IsCatchAll(url) && !IsPathPattern(url))
                {
                    refused.Add(url);
                    problems.Add(new ValidationProblem($"/{section}/{index}/rules/{j}/request_url", string.Create(CultureInfo.InvariantCulture,
                        $"'{Truncate(url, 60)}' ({url.Length} characters) cannot be a CloudFront path pattern: at most {MaxPathPattern} characters of A-Z, a-z, 0-9 and _ - . * $ / ~ \" ' @ : + & ('?' is not allowed: path patterns never see the query string)."))
                    { Remedy = PathPatternRemedy });
                }
            }
        }

        for (var i = 0; i < spec.Origins.Count; i++)
        {
            CheckPatterns("origins", i, spec.Origins[i].Rules);
        }

        for (var i = 0; i < caching.Count; i++)
        {
            CheckPatterns("caching", i, caching[i].Rules);
        }

        // Path → origin: the origin whose rule names the path, else the one whose rule covers it, else the first.
        var catchAllTtl = caching.FirstOrDefault(c => c.Rules.Count == 0 || c.Rules.Any(r => CapabilityChecker.IsCatchAll(r.RequestUrl)))?.Ttl;
        var paths = new List<string>();
        foreach (var path in spec.Origins.Skip(1).SelectMany(o => o.Rules).Concat(spec.Origins.Take(1).SelectMany(o => o.Rules)).Concat(caching.SelectMany(c => c.Rules)).Select(r => r.RequestUrl))
        {
            if (!CapabilityChecker.IsCatchAll(path) && !refused.Contains(path) && !paths.Contains(path, StringComparer.Ordinal))
            {
                paths.Add(path);
            }
        }

        var policy = ViewerProtocolPolicy(spec);
        config.DefaultCacheBehavior = Behavior(null, 0, catchAllTtl, spec, policy);
        foreach (var path in paths.OrderByDescending(Specificity))
        {
            var originIndex = Owner(spec.Origins.Select(o => o.Rules.Select(r => r.RequestUrl)).ToList(), path) ?? 0;
            var ttlIndex = Owner(caching.Select(c => c.Rules.Select(r => r.RequestUrl)).ToList(), path);
            var ttl = ttlIndex is { } t ? caching[t].Ttl : catchAllTtl;
            config.CacheBehaviors.Add(Behavior(path.StartsWith('/') ? path : "/" + path, originIndex, ttl, spec, policy));
        }

        if (config.CacheBehaviors.Count > MaxBehaviors)
        {
            problems.Add(new ValidationProblem("/", $"The spec needs {config.CacheBehaviors.Count} cache behaviours (one per distinct path); a distribution allows at most {MaxBehaviors}.") { Remedy = "fewer distinct request_url paths (at most 75 cache behaviours)" });
        }
    }

    private static CacheBehavior Behavior(string? pattern, int originIndex, int? ttl, ServiceSpec spec, string policy)
    {
        var behavior = new CacheBehavior
        {
            PathPattern = pattern,
            TargetOriginId = OriginId(originIndex),
            ViewerProtocolPolicy = policy,
            MinTtl = 0,
            DefaultTtl = ttl ?? DefaultTtl,
            // TTL 0 means "do not cache": the maximum goes to 0 too, or an origin's Cache-Control would still cache.
            MaxTtl = ttl is 0 ? 0 : ttl is { } t ? Math.Max(t, MaxTtl) : MaxTtl,
        };
        if (originIndex < spec.Origins.Count && spec.Origins[originIndex].HostHeaderType == HostHeaderType.Domain)
        {
            behavior.ForwardedHeaders.Add("Host");
        }

        return behavior;
    }

    /// <summary>The index of the rule set that names the path exactly, else the one with the most specific pattern covering it.</summary>
    private static int? Owner(IReadOnlyList<IEnumerable<string>> ruleSets, string path)
    {
        for (var i = 0; i < ruleSets.Count; i++)
        {
            if (ruleSets[i].Contains(path, StringComparer.Ordinal))
            {
                return i;
            }
        }

        int? best = null;
        var bestSpecificity = -1;
        for (var i = 0; i < ruleSets.Count; i++)
        {
            foreach (var pattern in ruleSets[i])
            {
                if (!CapabilityChecker.IsCatchAll(pattern) && Covers(pattern, path) && Specificity(pattern) > bestSpecificity)
                {
                    best = i;
                    bestSpecificity = Specificity(pattern);
                }
            }
        }

        return best;
    }

    /// <summary>Whether every URL matching <paramref name="path"/> also matches the glob <paramref name="pattern"/> (checked on the pattern text).</summary>
    private static bool Covers(string pattern, string path) =>
        System.Text.RegularExpressions.Regex.IsMatch(path, "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$");

    private static int Specificity(string path) => path.Count(c => c != '*');

    private RestrictionProgram? Restrictions(ServiceSpec spec, DistributionConfig config, List<ValidationProblem> problems)
    {
        var groups = new List<RestrictionGroup>();
        var whitelist = new List<string>();
        var blacklist = new List<string>();
        for (var i = 0; i < spec.Restrictions.Count; i++)
        {
            var restriction = spec.Restrictions[i];
            var access = restriction.Access == RestrictionAccess.Whitelist ? "whitelist" : "blacklist";
            for (var j = 0; j < restriction.Rules.Count; j++)
            {
                var rule = restriction.Rules[j];
                if (rule.Kind is not { } kind || rule.Value is not { } value)
                {
                    problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}", "The rule needs exactly one of referrer, geography or client_ip.") { Remedy = "give the rule one of referrer, geography or client_ip" });
                    continue;
                }

                var path = rule.RequestUrl ?? "/*";
                if (kind == RestrictionKind.Geography)
                {
                    if (!CapabilityChecker.IsCatchAll(path))
                    {
                        problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}/request_url", "CloudFront restricts geography for a whole distribution; a geography rule on a path other than '/*' is not supported.")
                        { Remedy = GeographyPathRemedy });
                        continue;
                    }

                    if (_resolveGeography(value.Trim()) is not { Count: > 0 } codes)
                    {
                        problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}/geography", $"'{value}' is not a known geography.") { Remedy = "an ISO 3166-1 alpha-2 code or one of Poppy's region names" });
                        continue;
                    }

                    var target = restriction.Access == RestrictionAccess.Whitelist ? whitelist : blacklist;
                    target.AddRange(codes.Where(c => !target.Contains(c, StringComparer.Ordinal)));
                    continue;
                }

                string entry;
                string kindName;
                if (kind == RestrictionKind.Referrer)
                {
                    entry = value.Trim().ToLowerInvariant();
                    kindName = "referrer";
                }
                else if (Network(value) is { } network)
                {
                    entry = network;
                    kindName = "client_ip";
                }
                else
                {
                    problems.Add(new ValidationProblem($"/restrictions/{i}/rules/{j}/client_ip", $"'{value}' is not an IP address or network.") { Remedy = "an IPv4 or IPv6 address with an optional /prefix" });
                    continue;
                }

                var index = groups.FindIndex(g => g.Kind == kindName && g.Access == access && g.Path == path);
                if (index < 0)
                {
                    groups.Add(new RestrictionGroup(kindName, access, path, CapabilityChecker.IsCatchAll(path) ? null : ViewerRequestFunction.PathRegex(path.StartsWith('/') ? path : "/" + path), [entry]));
                }
                else if (!groups[index].Values.Contains(entry, StringComparer.Ordinal))
                {
                    groups[index] = groups[index] with { Values = [.. groups[index].Values, entry] };
                }
            }
        }

        if (whitelist.Count > 0)
        {
            // Allowed: on the whitelist and not on the blacklist (the composite's deny-if-any semantics).
            var allowed = whitelist.Where(c => !blacklist.Contains(c, StringComparer.Ordinal)).ToList();
            if (allowed.Count == 0)
            {
                problems.Add(new ValidationProblem("/restrictions", "The geography blacklist removes every whitelisted country; nothing would be served.") { Remedy = "whitelist countries the blacklist does not remove" });
            }

            config.GeoRestriction = new GeoRestriction { RestrictionType = "whitelist", Locations = allowed };
        }
        else
        {
            config.GeoRestriction = blacklist.Count > 0
                ? new GeoRestriction { RestrictionType = "blacklist", Locations = blacklist }
                : new GeoRestriction { RestrictionType = "none" };
        }

        return groups.Count == 0 ? null : new RestrictionProgram(groups);
    }

    /// <summary>Canonical <c>address/prefix</c> of an IP or network; null when invalid.</summary>
    public static string? Network(string value)
    {
        var text = value.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var ip))
        {
            return null;
        }

        var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            return null;
        }

        return ip + "/" + prefix.ToString(CultureInfo.InvariantCulture);
    }

    // ------------------------------------------------------------------ manifest tags

    /// <summary>The tags of a distribution: the service id (<see cref="ServiceStamp.TagKey"/>) and the spec in 256-character chunks (<see cref="SpecManifest.Split"/>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Tags(string serviceId, ServiceSpec spec)
    {
        var tags = new List<KeyValuePair<string, string>>();
        if (serviceId.Length <= MaxTagValue && serviceId.All(IsTagCharacter))
        {
            tags.Add(KeyValuePair.Create(ServiceStamp.TagKey, serviceId));
        }

        // Too large to keep (no chunks): read-backs then rebuild the spec from the distribution alone.
        tags.AddRange(SpecManifest.Split(spec, MaxTagValue, MaxTags - tags.Count));
        return tags;
    }

    /// <summary>Reads the spec kept in the tags; null when absent or unreadable.</summary>
    public static ServiceSpec? ReadManifest(IEnumerable<KeyValuePair<string, string>> tags) => SpecManifest.Join(tags);

    private static bool IsTagCharacter(char c) => char.IsLetterOrDigit(c) || c is ' ' or '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@';

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
