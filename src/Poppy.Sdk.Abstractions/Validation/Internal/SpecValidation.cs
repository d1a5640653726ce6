using System.Globalization;
using System.Text;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>
/// One run of the DESIGN §2.1 rules over a spec: collects every problem with its path and builds the
/// normalised spec alongside. Input may come from JSON, so every reference is treated as possibly null.
/// </summary>
internal sealed class SpecValidation
{
    private const int MaxNameLength = 256;
    private const int MinServiceNameLength = 3;
    private const int MaxRequestUrlLength = 1024;
    private const int MaxDomains = 10;
    private const int MaxOrigins = 10;
    private const string CatchAll = "/*";
    private const string DefaultName = "default";

    private readonly ValidationMode _mode;
    private readonly List<ValidationProblem> _problems = [];

    // Valid, normalised domains and origin hosts, for the "a domain is not an origin" rule.
    private readonly List<(int Index, string Domain)> _domains = [];
    private readonly Dictionary<string, int> _originHosts = new(StringComparer.Ordinal);

    public SpecValidation(ValidationMode mode) => _mode = mode;

    public IReadOnlyList<ValidationProblem> Problems => _problems;

    public ServiceSpec Run(ServiceSpec spec)
    {
        var name = ServiceName(spec.Name);
        var flavorId = FlavorId(spec.FlavorId);
        var domains = Domains(spec.Domains);
        var origins = Origins(spec.Origins);
        DomainsAreNotOrigins();
        var caching = Caching(spec.Caching);
        var restrictions = Restrictions(spec.Restrictions);
        var logDelivery = spec.LogDelivery;
        if (logDelivery is null)
        {
            Add("/log_delivery", "log_delivery is null; give an object such as {\"enabled\": false}, or leave it out (delivery is then off).");
        }

        return spec with
        {
            Name = name,
            FlavorId = flavorId,
            Domains = domains,
            Origins = origins,
            Caching = caching,
            Restrictions = restrictions,
            LogDelivery = logDelivery ?? LogDelivery.Disabled,
        };
    }

    private void Add(string path, string message) => _problems.Add(new ValidationProblem(path, message));

    private static string P(string parent, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}/{index}");

    // ---------------------------------------------------------------- name, flavor

    private string ServiceName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (name is null)
        {
            Add("/name", "The service name is missing; give a name of 3–256 characters.");
        }
        else if (trimmed.Length is < MinServiceNameLength or > MaxNameLength)
        {
            Add("/name", $"The service name is {Text.Count(trimmed.Length, "character")} long after trimming; it must have {MinServiceNameLength}–{MaxNameLength}.");
        }

        return trimmed;
    }

    private string FlavorId(string? flavorId)
    {
        var trimmed = flavorId?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            Add("/flavor_id", "The flavor_id is missing; give the name (1–256 characters) of a configured flavor.");
        }
        else if (trimmed.Length > MaxNameLength)
        {
            Add("/flavor_id", $"The flavor_id is {Text.Count(trimmed.Length, "character")} long; it may have at most {MaxNameLength}.");
        }

        return trimmed;
    }

    // ---------------------------------------------------------------- domains

    private List<DomainSpec> Domains(IReadOnlyList<DomainSpec>? domains)
    {
        var result = new List<DomainSpec>();
        if (domains is null)
        {
            Add("/domains", "domains is missing (null); give 1–10 domains, like [{\"domain\": \"www.example.com\"}].");
            return result;
        }

        if (domains.Count == 0)
        {
            Add("/domains", "No domains were given; a service needs 1–10.");
        }
        else if (domains.Count > MaxDomains)
        {
            Add("/domains", $"{domains.Count} domains were given; a service may have at most {MaxDomains}.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < domains.Count; i++)
        {
            var path = P("/domains", i);
            var domain = domains[i];
            if (domain is null)
            {
                Add(path, "This domain is null; give an object like {\"domain\": \"www.example.com\"}.");
                continue;
            }

            var shared = CheckProtocolAndCertificate(domain, path);
            var normalized = shared ? SharedLabel(domain.Domain, path) : DomainName(domain.Domain, path);
            if (normalized is null)
            {
                result.Add(domain);
                continue;
            }

            if (seen.TryGetValue(normalized, out var first))
            {
                Add(path + "/domain", $"{Text.Quote(normalized)} is listed twice (also at {P("/domains", first)}/domain); domains must be unique (ignoring case).");
            }
            else
            {
                seen.Add(normalized, i);
                if (!shared)
                {
                    _domains.Add((i, normalized));
                }
            }

            result.Add(domain with { Domain = normalized });
        }

        return result;
    }

    /// <summary>Checks protocol and certificate; returns whether the domain is a shared-certificate label.</summary>
    private bool CheckProtocolAndCertificate(DomainSpec domain, string path)
    {
        var certificate = domain.Certificate;
        if (certificate is { } kind && kind is not (CertificateKind.Shared or CertificateKind.San or CertificateKind.Sni or CertificateKind.Custom))
        {
            Add(path + "/certificate", $"The certificate kind {(int)kind} is unknown; use 'shared', 'san', 'sni' or 'custom'.");
            certificate = null;
        }

        switch (domain.Protocol)
        {
            case DomainProtocol.Http when certificate is { } given:
                Add(path + "/certificate", $"An http domain takes no certificate, but '{Name(given)}' was given; set protocol to 'https' or remove the certificate.");
                return false;
            case DomainProtocol.Http:
                return false;
            case DomainProtocol.Https when domain.Certificate is null:
                Add(path + "/certificate", "An https domain needs a certificate: one of 'shared', 'san', 'sni' or 'custom'.");
                return false;
            case DomainProtocol.Https:
                return certificate == CertificateKind.Shared;
            default:
                Add(path + "/protocol", $"The protocol {(int)domain.Protocol} is unknown; use 'http' or 'https'.");
                return false;
        }
    }

    private string? DomainName(string? raw, string path)
    {
        var normalized = HostNameRules.Normalize(raw, out var problem);
        if (problem is not null)
        {
            var hint = normalized is not null && !normalized.Contains('.', StringComparison.Ordinal) && HostNameRules.IsSharedLabel(normalized)
                ? " (a single label such as 'mysite' is only allowed for an https domain with a 'shared' certificate)"
                : "";
            Add(path + "/domain", raw is null
                ? "The domain is missing; give a host name like 'www.example.com'."
                : $"{Text.Quote(raw)} is not a valid domain: {problem}{hint}.");
            return null;
        }

        if (DomainRules.IsApex(normalized!, out var suffix))
        {
            Add(path + "/domain", $"{Text.Quote(normalized)} is an apex (root) domain — '{suffix}' is a public suffix — and a CDN needs a CNAME record, which cannot sit on an apex; use a subdomain such as 'www.{normalized}'.");
            return null;
        }

        return normalized;
    }

    private string? SharedLabel(string? raw, string path)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            Add(path + "/domain", "The domain is missing; with a 'shared' certificate give a single label such as 'mysite'.");
            return null;
        }

        var label = raw.Trim().ToLowerInvariant();
        if (!Ascii.IsValid(label))
        {
            try
            {
                label = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(label);
            }
            catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
            {
                // Reported below: the label keeps its non-ASCII characters and fails the check.
            }
        }

        if (!HostNameRules.IsSharedLabel(label))
        {
            Add(path + "/domain", $"With a 'shared' certificate the domain is a single label such as 'mysite' (letters a–z, digits and inner hyphens, at most 63 characters), but {Text.Quote(raw)} was given; the provider places it under its shared certificate's host.");
            return null;
        }

        return label;
    }

    // ---------------------------------------------------------------- origins

    private List<OriginSpec> Origins(IReadOnlyList<OriginSpec>? origins)
    {
        var result = new List<OriginSpec>();
        if (origins is null)
        {
            Add("/origins", "origins is missing (null); give 1–10 origins, like [{\"origin\": \"origin.example.com\"}].");
            return result;
        }

        if (origins.Count == 0)
        {
            Add("/origins", "No origins were given; a service needs 1–10.");
        }
        else if (origins.Count > MaxOrigins)
        {
            Add("/origins", $"{origins.Count} origins were given; a service may have at most {MaxOrigins}.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var paths = new PathRegistry(this, "each request path can go to one origin only");
        for (var i = 0; i < origins.Count; i++)
        {
            var path = P("/origins", i);
            var origin = origins[i];
            if (origin is null)
            {
                Add(path, "This origin is null; give an object like {\"origin\": \"origin.example.com\"}.");
                continue;
            }

            var host = OriginHost(origin.Origin, path + "/origin");
            if (host is not null)
            {
                var key = (origin.Ssl ? "https://" : "http://") + host;
                if (seen.TryGetValue(key, out var first))
                {
                    Add(path + "/origin", $"The origin {Text.Quote(key)} is listed twice (also at {P("/origins", first)}); origins must be unique by host and ssl.");
                }
                else
                {
                    seen.Add(key, i);
                }

                _originHosts.TryAdd(host, i);
            }

            if (origin.Port is not (80 or 443 or (>= 1024 and <= 65535)))
            {
                Add(path + "/port", $"Port {origin.Port.ToString(CultureInfo.InvariantCulture)} is not allowed; use 80, 443 or a port from 1024 to 65535.");
            }

            IReadOnlyList<PathRule> rules;
            if (origin.Rules is null || origin.Rules.Count == 0)
            {
                if (i == 0)
                {
                    rules = [new PathRule(DefaultName, CatchAll)];
                    paths.Register(CatchAll, path + "/rules", $"the default rule '/*' of {path} (added because it has no rules)");
                }
                else
                {
                    rules = origin.Rules ?? [];
                    Add(path + "/rules", $"Origin {Text.Quote(host ?? origin.Origin)} has no rules; every origin after the first needs at least one rule saying which request paths go to it, like {{\"name\": \"images\", \"request_url\": \"/images/*\"}}.");
                }
            }
            else
            {
                rules = PathRules(origin.Rules, path + "/rules", paths);
            }

            var (type, value) = HostHeader(origin, host, path);
            result.Add(origin with
            {
                Origin = host ?? origin.Origin,
                Rules = rules,
                HostHeaderType = type,
                HostHeaderValue = value,
            });
        }

        return result;
    }

    private string? OriginHost(string? raw, string path)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            Add(path, "The origin is missing; give a host name or an IP address, like 'origin.example.com'.");
            return null;
        }

        var problem = DescribeOriginProblem(raw.Trim(), out var host);
        if (problem is not null)
        {
            Add(path, $"{Text.Quote(raw)} is not a valid origin: {problem}.");
            return null;
        }

        return host;
    }

    private static string? DescribeOriginProblem(string text, out string host)
    {
        host = text.ToLowerInvariant();
        if (host.Contains("://", StringComparison.Ordinal))
        {
            return "it includes a scheme; give the host only, like 'origin.example.com' (ssl and port choose how the CDN connects)";
        }

        if (host.EndsWith('/'))
        {
            host = host.TrimEnd('/'); // Poppy's request loader drops a trailing '/'.
        }

        if (host.Contains('/', StringComparison.Ordinal))
        {
            return "it includes a path; give the host only (request paths go in the origin's rules)";
        }

        if (!Ascii.IsValid(host))
        {
            return "it contains non-ASCII characters; write an internationalised host name in its punycode form ('xn--…')";
        }

        if (host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "it contains spaces or control characters";
        }

        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close > 0 && close < host.Length - 1)
            {
                return "it includes a port; use the port field instead";
            }

            return close == host.Length - 1 && IpAddressRules.IsIPv6(host[1..^1]) ? null : "it is not a valid IPv6 address";
        }

        var colons = host.Count(c => c == ':');
        if (colons == 1)
        {
            return "it includes a port; use the port field instead";
        }

        if (colons > 1)
        {
            return IpAddressRules.IsIPv6(host) ? null : "it is not a valid IPv6 address";
        }

        if (host.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return IpAddressRules.IsIPv4(host) ? null : "it is not a valid IPv4 address (four numbers 0–255 separated by dots)";
        }

        return HostNameRules.DescribeSyntaxProblem(host);
    }

    private (HostHeaderType Type, string? Value) HostHeader(OriginSpec origin, string? host, string path)
    {
        var value = string.IsNullOrWhiteSpace(origin.HostHeaderValue) ? null : origin.HostHeaderValue;
        switch (origin.HostHeaderType)
        {
            case HostHeaderType.Domain:
                if (value is not null)
                {
                    Add(path + "/hostheadervalue", $"A hostheadervalue ({Text.Quote(value)}) is not used with hostheadertype 'domain' (the requested domain is sent); remove it, or set hostheadertype to 'custom'.");
                }

                return (HostHeaderType.Domain, null);

            case HostHeaderType.Origin:
                if (value is not null && host is not null && !string.Equals(value.Trim(), host, StringComparison.OrdinalIgnoreCase))
                {
                    Add(path + "/hostheadervalue", $"With hostheadertype 'origin' the host header is the origin host {Text.Quote(host)}, but {Text.Quote(value)} was given; remove hostheadervalue, or set hostheadertype to 'custom'.");
                }

                return (HostHeaderType.Origin, host ?? origin.Origin);

            case HostHeaderType.Custom:
                if (value is null)
                {
                    Add(path + "/hostheadervalue", "hostheadertype 'custom' needs a hostheadervalue: the host name to send, like 'www.example.com'.");
                    return (HostHeaderType.Custom, origin.HostHeaderValue);
                }

                var normalized = HostNameRules.Normalize(value, out var problem);
                if (problem is not null)
                {
                    Add(path + "/hostheadervalue", $"{Text.Quote(value)} is not a valid host header: {problem}.");
                    return (HostHeaderType.Custom, value);
                }

                return (HostHeaderType.Custom, normalized);

            default:
                Add(path + "/hostheadertype", $"The hostheadertype {(int)origin.HostHeaderType} is unknown; use 'domain', 'origin' or 'custom'.");
                return (origin.HostHeaderType, origin.HostHeaderValue);
        }
    }

    private void DomainsAreNotOrigins()
    {
        foreach (var (index, domain) in _domains)
        {
            if (_originHosts.TryGetValue(domain, out var origin))
            {
                Add(P("/domains", index) + "/domain", $"{Text.Quote(domain)} is also the host of {P("/origins", origin)}/origin; a domain cannot be its own origin (the CDN would fetch from itself).");
            }
        }
    }

    // ---------------------------------------------------------------- caching

    private List<CachingRule>? Caching(IReadOnlyList<CachingRule>? caching)
    {
        if (caching is null)
        {
            return _mode == ValidationMode.Create
                ? [new CachingRule(DefaultName, CachingRule.DefaultTtlSeconds, new PathRule(DefaultName, CatchAll))]
                : null;
        }

        var result = new List<CachingRule>();
        var paths = new PathRegistry(this, "each request path can have one caching rule only");
        for (var i = 0; i < caching.Count; i++)
        {
            var path = P("/caching", i);
            var entry = caching[i];
            if (entry is null)
            {
                Add(path, "This caching rule is null; give an object like {\"name\": \"default\", \"ttl\": 3600}.");
                continue;
            }

            var name = RequiredName(entry.Name, path + "/name", "caching rule");
            if (entry.Ttl is < 0 or > CachingRule.MaxTtlSeconds)
            {
                Add(path + "/ttl", $"The ttl {entry.Ttl.ToString(CultureInfo.InvariantCulture)} is out of range; use 0 (do not cache) to 31,536,000 seconds (one year).");
            }

            IReadOnlyList<PathRule> rules;
            if (entry.Rules is null || entry.Rules.Count == 0)
            {
                rules = [new PathRule(DefaultName, CatchAll)];
                paths.Register(CatchAll, path + "/rules", $"the default rule '/*' of {path} (added because it has no rules)");
            }
            else
            {
                rules = PathRules(entry.Rules, path + "/rules", paths);
            }

            result.Add(entry with { Name = name, Rules = rules });
        }

        return result;
    }

    // ---------------------------------------------------------------- rules shared by origins and caching

    private List<PathRule> PathRules(IReadOnlyList<PathRule> rules, string path, PathRegistry registry)
    {
        var result = new List<PathRule>(rules.Count);
        for (var j = 0; j < rules.Count; j++)
        {
            var rulePath = P(path, j);
            var rule = rules[j];
            if (rule is null)
            {
                Add(rulePath, "This rule is null; give an object like {\"name\": \"all\", \"request_url\": \"/*\"}.");
                continue;
            }

            var name = RequiredName(rule.Name, rulePath + "/name", "rule");
            if (RequestUrl(rule.RequestUrl, rulePath + "/request_url", required: true))
            {
                registry.Register(rule.RequestUrl, rulePath + "/request_url", $"{rulePath}/request_url");
            }

            result.Add(rule with { Name = name });
        }

        return result;
    }

    private string RequiredName(string? name, string path, string what)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            Add(path, $"The {what} has no name; give a name of 1–256 characters.");
        }
        else if (trimmed.Length > MaxNameLength)
        {
            Add(path, $"The {what} name is {Text.Count(trimmed.Length, "character")} long; it may have at most {MaxNameLength}.");
        }

        return trimmed;
    }

    private bool RequestUrl(string? url, string path, bool required)
    {
        if (url is null)
        {
            if (required)
            {
                Add(path, "request_url is missing; give a path pattern such as '/*' or '/images/*'.");
            }

            return false;
        }

        if (url.Length is 0 or > MaxRequestUrlLength)
        {
            Add(path, $"request_url is {Text.Count(url.Length, "character")} long; it must have 1–{MaxRequestUrlLength}.");
            return false;
        }

        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            Add(path, $"request_url {Text.Quote(url)} contains spaces or control characters; percent-encode them (a space is '%20').");
            return false;
        }

        return true;
    }

    /// <summary>The comparison form of a request URL: Poppy adds a leading '/', so <c>*</c> and <c>/*</c> are one path.</summary>
    internal static string NormalizePath(string url) => url.StartsWith('/') ? url : "/" + url;

    /// <summary>Request URLs seen so far in one scope (all origins, or all caching rules); reports a repeat.</summary>
    private sealed class PathRegistry(SpecValidation owner, string rule)
    {
        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

        public void Register(string url, string path, string description)
        {
            var key = NormalizePath(url);
            if (_seen.TryGetValue(key, out var first))
            {
                var same = key == url ? "" : $" (a leading '/' is implied, so it is the same as '{key}')";
                owner.Add(path, $"{Text.Quote(url)}{same} is already used by {first}; {rule}.");
            }
            else
            {
                _seen.Add(key, description);
            }
        }
    }

    // ---------------------------------------------------------------- restrictions

    private List<Restriction> Restrictions(IReadOnlyList<Restriction>? restrictions)
    {
        var result = new List<Restriction>();
        if (restrictions is null)
        {
            return result;
        }

        var byKindAndPath = new Dictionary<(RestrictionKind, string), List<(RestrictionAccess Access, string Path)>>();
        for (var i = 0; i < restrictions.Count; i++)
        {
            var path = P("/restrictions", i);
            var restriction = restrictions[i];
            if (restriction is null)
            {
                Add(path, "This restriction is null; give an object like {\"name\": \"eu-only\", \"access\": \"whitelist\", \"rules\": [...]}.");
                continue;
            }

            var name = RequiredName(restriction.Name, path + "/name", "restriction");
            var accessKnown = restriction.Access is RestrictionAccess.Whitelist or RestrictionAccess.Blacklist;
            if (!accessKnown)
            {
                Add(path + "/access", $"The access {(int)restriction.Access} is unknown; use 'whitelist' or 'blacklist'.");
            }

            var rules = new List<RestrictionRule>();
            if (restriction.Rules is null || restriction.Rules.Count == 0)
            {
                Add(path + "/rules", "The restriction has no rules; give at least one, like {\"geography\": \"US\"}.");
            }
            else
            {
                for (var j = 0; j < restriction.Rules.Count; j++)
                {
                    var rulePath = P(path + "/rules", j);
                    var rule = RestrictionRule(restriction.Rules[j], rulePath);
                    if (rule is null)
                    {
                        continue;
                    }

                    rules.Add(rule);
                    if (accessKnown && rule.Kind is { } kind)
                    {
                        var key = (kind, NormalizePath(rule.RequestUrl!));
                        if (!byKindAndPath.TryGetValue(key, out var list))
                        {
                            byKindAndPath[key] = list = [];
                        }

                        list.Add((restriction.Access, rulePath));
                    }
                }
            }

            result.Add(restriction with { Name = name, Rules = rules });
        }

        foreach (var ((kind, url), list) in byKindAndPath)
        {
            var first = list[0];
            foreach (var (access, rulePath) in list)
            {
                if (access != first.Access)
                {
                    Add(rulePath, $"A {Name(kind)} {Name(access)} on '{url}' conflicts with the {Name(kind)} {Name(first.Access)} at {first.Path}; the same kind of rule cannot both allow and deny one path.");
                }
            }
        }

        return result;
    }

    private RestrictionRule? RestrictionRule(RestrictionRule? rule, string path)
    {
        if (rule is null)
        {
            Add(path, "This rule is null; give an object with one of referrer, geography or client_ip.");
            return null;
        }

        var name = rule.Name?.Trim();
        if (name is { Length: > MaxNameLength })
        {
            Add(path + "/name", $"The rule name is {Text.Count(name.Length, "character")} long; it may have at most {MaxNameLength}.");
        }

        var requestUrl = rule.RequestUrl ?? CatchAll;
        var urlValid = RequestUrl(requestUrl, path + "/request_url", required: false);

        string?[] entities = [rule.Referrer is null ? null : "referrer", rule.Geography is null ? null : "geography", rule.ClientIp is null ? null : "client_ip"];
        var given = entities.OfType<string>().ToList();
        if (given.Count != 1)
        {
            Add(path, given.Count == 0
                ? "The rule has none of referrer, geography or client_ip; give exactly one."
                : $"The rule has {string.Join(" and ", given)}; give exactly one of referrer, geography or client_ip (use one rule per entity).");
            return null;
        }

        var normalized = rule with { Name = name, RequestUrl = requestUrl };
        switch (rule.Kind)
        {
            case RestrictionKind.Referrer:
                var referrer = HostNameRules.Normalize(rule.Referrer, out var problem);
                if (problem is not null)
                {
                    Add(path + "/referrer", $"{Text.Quote(rule.Referrer)} is not a valid referrer: {problem}.");
                    return null;
                }

                normalized = normalized with { Referrer = referrer };
                break;

            case RestrictionKind.Geography:
                var geography = rule.Geography!.Trim();
                if (!GeographyCatalog.TryResolve(geography, out _))
                {
                    Add(path + "/geography", $"{Text.Quote(rule.Geography)} is not a known geography; use an ISO 3166-1 alpha-2 country code such as 'US' or 'GB', or one of Poppy's country or region names such as 'USA', 'United Kingdom' or 'North America' (names and codes are matched ignoring case).");
                    return null;
                }

                normalized = normalized with { Geography = geography };
                break;

            default:
                var clientIp = rule.ClientIp!.Trim();
                var ipProblem = IpAddressRules.DescribeClientIpProblem(clientIp);
                if (ipProblem is not null)
                {
                    Add(path + "/client_ip", $"{Text.Quote(rule.ClientIp)} is not a valid client_ip: {ipProblem}. Give an IPv4 or IPv6 address with an optional prefix, like '203.0.113.0/24' or '2001:db8::/32'.");
                    return null;
                }

                normalized = normalized with { ClientIp = clientIp };
                break;
        }

        return urlValid ? normalized : null;
    }

    // ---------------------------------------------------------------- enum names as Poppy writes them

    private static string Name(CertificateKind kind) => kind switch
    {
        CertificateKind.Shared => "shared",
        CertificateKind.San => "san",
        CertificateKind.Sni => "sni",
        _ => "custom",
    };

    private static string Name(RestrictionAccess access) => access == RestrictionAccess.Blacklist ? "blacklist" : "whitelist";

    private static string Name(RestrictionKind kind) => kind switch
    {
        RestrictionKind.Referrer => "referrer",
        RestrictionKind.Geography => "geography",
        _ => "client_ip",
    };
}
