using System.Net;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation;

/// <summary>Checks a (validated, normalised) spec against what a provider can honour.</summary>
public static class CapabilityChecker
{
    /// <summary>
    /// Lists every field of <paramref name="spec"/> that <paramref name="providerName"/> cannot honour,
    /// each problem carrying the field path and the provider. Empty when the provider can honour all of it.
    /// </summary>
    /// <param name="spec">A normalised spec (see <see cref="ServiceSpecValidator"/>).</param>
    /// <param name="capabilities">The provider's capabilities.</param>
    /// <param name="providerName">The provider's name, for the messages.</param>
    /// <returns>The problems.</returns>
    public static IReadOnlyList<ValidationProblem> Check(ServiceSpec spec, CdnCapabilities capabilities, string providerName)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(capabilities);
        var problems = new List<ValidationProblem>();
        void Add(string path, string message) => problems.Add(new ValidationProblem(path, message) { Provider = providerName, Remedy = Remedy(path, providerName) });

        if (spec.Domains.Count > capabilities.MaxDomains)
        {
            Add("/domains", $"{spec.Domains.Count} domains, but this provider allows at most {capabilities.MaxDomains} per service.");
        }

        for (var i = 0; i < spec.Domains.Count; i++)
        {
            if (spec.Domains[i].Certificate is { } kind && !capabilities.Certificates.HasFlag(ToFlag(kind)))
            {
                Add($"/domains/{i}/certificate", $"Certificate kind '{kind.ToString().ToLowerInvariant()}' is not supported.");
            }
        }

        if (spec.Origins.Count > capabilities.MaxOrigins)
        {
            Add("/origins", $"{spec.Origins.Count} origins, but this provider allows at most {capabilities.MaxOrigins} per service.");
        }

        if (!capabilities.MultipleOrigins && spec.Origins.Count > 1)
        {
            Add("/origins", "More than one origin (routed by path rules) is not supported.");
        }

        for (var i = 0; i < spec.Origins.Count; i++)
        {
            var origin = spec.Origins[i];
            if (!capabilities.HostHeaders.HasFlag(ToFlag(origin.HostHeaderType)))
            {
                Add($"/origins/{i}/hostheadertype", $"Host header mode '{origin.HostHeaderType.ToString().ToLowerInvariant()}' is not supported.");
            }

            if (capabilities.OriginPorts is { } ports && !ports.Contains(origin.Port))
            {
                Add($"/origins/{i}/port", $"Origin port {origin.Port} is not supported (supported: {string.Join(", ", ports.Order())}).");
            }

            if (IPAddress.TryParse(origin.Origin.Trim('[', ']'), out var ip))
            {
                if (!capabilities.IpAddressOrigins)
                {
                    Add($"/origins/{i}/origin", "Origins must be DNS names; IP addresses are not supported.");
                }
                else if (!capabilities.Ipv6Origins && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                {
                    Add($"/origins/{i}/origin", "IPv6 origins are not supported.");
                }
            }
        }

        var caching = spec.Caching ?? [];
        if (!capabilities.PerPathCaching)
        {
            for (var i = 0; i < caching.Count; i++)
            {
                for (var j = 0; j < caching[i].Rules.Count; j++)
                {
                    if (!IsCatchAll(caching[i].Rules[j].RequestUrl))
                    {
                        Add($"/caching/{i}/rules/{j}/request_url", "Per-path caching rules are not supported; only '/*'.");
                    }
                }
            }
        }

        for (var i = 0; i < spec.Restrictions.Count; i++)
        {
            var restriction = spec.Restrictions[i];
            for (var j = 0; j < restriction.Rules.Count; j++)
            {
                var rule = restriction.Rules[j];
                if (rule.Kind is not { } kind)
                {
                    continue;
                }

                var flag = ToFlag(kind, restriction.Access);
                if (!capabilities.Restrictions.HasFlag(flag))
                {
                    Add($"/restrictions/{i}/rules/{j}", $"{Describe(kind)} {restriction.Access.ToString().ToLowerInvariant()} restrictions are not supported.");
                }
                else if (!capabilities.PerPathRestrictions.HasFlag(flag) && !IsCatchAll(rule.RequestUrl ?? "/*"))
                {
                    Add($"/restrictions/{i}/rules/{j}/request_url", $"{Describe(kind)} restrictions on a path other than '/*' are not supported; this provider applies them to the whole service.");
                }
            }
        }

        var rules = spec.Origins.Sum(o => o.Rules.Count) + caching.Sum(c => c.Rules.Count) + spec.Restrictions.Sum(r => r.Rules.Count);
        if (rules > capabilities.MaxRules)
        {
            Add("", $"{rules} rules in all, but this provider allows at most {capabilities.MaxRules} per service.");
        }

        if (spec.LogDelivery.Enabled && !capabilities.LogDelivery)
        {
            Add("/log_delivery/enabled", "Log delivery is not supported.");
        }

        return problems;
    }

    /// <summary>Lists what a provider cannot honour in a purge request.</summary>
    /// <param name="request">The purge request.</param>
    /// <param name="capabilities">The provider's capabilities.</param>
    /// <param name="providerName">The provider's name.</param>
    /// <returns>The problems; empty when supported.</returns>
    public static IReadOnlyList<ValidationProblem> CheckPurge(PurgeRequest request, CdnCapabilities capabilities, string providerName)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(capabilities);
        List<ValidationProblem>? problems = null; // allocated only when something is unsupported
        var flag = request.Kind switch
        {
            PurgeKind.Url => PurgeSupport.Url,
            PurgeKind.Prefix => PurgeSupport.Prefix,
            PurgeKind.Tag => PurgeSupport.Tag,
            PurgeKind.Host => PurgeSupport.Host,
            _ => PurgeSupport.All,
        };
        if (!capabilities.Purge.HasFlag(flag))
        {
            (problems ??= []).Add(new ValidationProblem("/kind", $"{request.Kind} purge is not supported.") { Provider = providerName });
        }

        if (request.Mode == PurgeMode.Soft && !capabilities.Purge.HasFlag(PurgeSupport.Soft))
        {
            (problems ??= []).Add(new ValidationProblem("/mode", "Soft purge is not supported.") { Provider = providerName });
        }

        return problems ?? (IReadOnlyList<ValidationProblem>)Array.Empty<ValidationProblem>();
    }

    /// <summary>Whether a request URL is the catch-all <c>/*</c> (or <c>*</c>).</summary>
    /// <param name="requestUrl">The request URL.</param>
    /// <returns>True for the catch-all.</returns>
    public static bool IsCatchAll(string requestUrl) => requestUrl is "/*" or "*";

    private static string Describe(RestrictionKind kind) => kind switch
    {
        RestrictionKind.Referrer => "Referrer",
        RestrictionKind.Geography => "Geography",
        _ => "Client-IP",
    };

    private static CertificateSupport ToFlag(CertificateKind kind) => kind switch
    {
        CertificateKind.Shared => CertificateSupport.Shared,
        CertificateKind.San => CertificateSupport.San,
        CertificateKind.Sni => CertificateSupport.Sni,
        _ => CertificateSupport.Custom,
    };

    private static HostHeaderSupport ToFlag(HostHeaderType type) => type switch
    {
        HostHeaderType.Domain => HostHeaderSupport.Domain,
        HostHeaderType.Origin => HostHeaderSupport.Origin,
        _ => HostHeaderSupport.Custom,
    };

    private static RestrictionSupport ToFlag(RestrictionKind kind, RestrictionAccess access) => (kind, access) switch
    {
        (RestrictionKind.Referrer, RestrictionAccess.Whitelist) => RestrictionSupport.ReferrerWhitelist,
        (RestrictionKind.Referrer, _) => RestrictionSupport.ReferrerBlacklist,
        (RestrictionKind.Geography, RestrictionAccess.Whitelist) => RestrictionSupport.GeographyWhitelist,
        (RestrictionKind.Geography, _) => RestrictionSupport.GeographyBlacklist,
        (_, RestrictionAccess.Whitelist) => RestrictionSupport.ClientIpWhitelist,
        _ => RestrictionSupport.ClientIpBlacklist,
    };

    /// <summary>What to change for a capability problem at <paramref name="path"/>: the flavor, or the spec within the named capability.</summary>
    /// <param name="path">The problem's path.</param>
    /// <param name="providerName">The provider that cannot honour it.</param>
    /// <returns>The remedy, in words.</returns>
    public static string Remedy(string path, string providerName)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var capability = segments switch
        {
            ["domains", _, "certificate", ..] or ["domains", _, "protocol", ..] => nameof(CdnCapabilities.Certificates),
            ["domains", ..] => nameof(CdnCapabilities.MaxDomains),
            ["origins", _, "port", ..] => nameof(CdnCapabilities.OriginPorts),
            ["origins", _, "origin", ..] => nameof(CdnCapabilities.IpAddressOrigins),
            ["origins", _, "hostheadertype", ..] or ["origins", _, "hostheadervalue", ..] => nameof(CdnCapabilities.HostHeaders),
            ["origins", _, "rules", ..] => nameof(CdnCapabilities.MultipleOrigins),
            ["origins", ..] => nameof(CdnCapabilities.MaxOrigins),
            ["caching", ..] => nameof(CdnCapabilities.PerPathCaching),
            ["restrictions", _, "rules", _, "request_url", ..] => nameof(CdnCapabilities.PerPathRestrictions),
            ["restrictions", ..] => nameof(CdnCapabilities.Restrictions),
            ["log_delivery", ..] => nameof(CdnCapabilities.LogDelivery),
            _ => "Capabilities",
        };
        return $"a flavor without '{providerName}', or a spec within its {capability}";
    }
}
