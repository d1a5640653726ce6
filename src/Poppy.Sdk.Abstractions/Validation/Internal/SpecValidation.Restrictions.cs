using System.Globalization;
using System.Text;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>The restriction rules, and enum names as Poppy writes them.</summary>
internal sealed partial class SpecValidation
{
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
