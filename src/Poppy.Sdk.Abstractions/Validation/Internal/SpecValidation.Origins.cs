using System.Globalization;
using System.Text;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>The origin rules: hosts and IP literals, ports, host headers, and domains that are not origins.</summary>
internal sealed partial class SpecValidation
{
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
                // OpenStack Poppy accepted a value here and ignored it; so do we, so its documents load unchanged.
                if (value is not null && host is not null && !string.Equals(value.Trim(), host, StringComparison.OrdinalIgnoreCase))
                {
                    Warn(path + "/hostheadervalue", $"Ignored: with hostheadertype 'origin' the host header is the origin host {Text.Quote(host)}, not {Text.Quote(value)}; remove hostheadervalue, or set hostheadertype to 'custom' to send it.");
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
}
