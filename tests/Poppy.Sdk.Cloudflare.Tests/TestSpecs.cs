using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Cloudflare.Tests;

internal static class TestSpecs
{
    public static ServiceSpec Normalize(ServiceSpec spec) => ServiceSpecValidator.Validate(spec, ValidationMode.Create).GetNormalizedOrThrow();

    /// <summary>One HTTP domain, one origin, one catch-all caching rule of 2 hours (the Free plan's minimum).</summary>
    public static ServiceSpec Simple(string domain = "www.example.com") => new()
    {
        Name = "simple",
        FlavorId = "global",
        Domains = [new DomainSpec(domain)],
        Origins = [new OriginSpec("origin.saas.example") { Rules = [new PathRule("all", "/*")] }],
        Caching = [new CachingRule("default", 7200, new PathRule("all", "/*"))],
    };

    /// <summary>Two HTTPS domains, two origins routed by path, per-path caching (one bypass), every restriction kind.</summary>
    public static ServiceSpec Rich(string prefix = "") => new()
    {
        Name = "rich",
        FlavorId = "global",
        Domains = [new DomainSpec(prefix + "www.example.com", DomainProtocol.Https, CertificateKind.Sni), new DomainSpec(prefix + "static.example.com", DomainProtocol.Https, CertificateKind.San)],
        Origins =
        [
            new OriginSpec("origin.saas.example", 443, ssl: true) { Rules = [new PathRule("all", "/*")] },
            new OriginSpec("images.saas.example", 8443, ssl: true) { Rules = [new PathRule("images", "/images/*")], HostHeaderType = HostHeaderType.Origin },
        ],
        Caching =
        [
            new CachingRule("default", 7200, new PathRule("all", "/*")),
            new CachingRule("thumbs", 86_400, new PathRule("thumbs", "/images/thumbs/*")),
            new CachingRule("api", 0, new PathRule("api", "/api/*")),
        ],
        Restrictions =
        [
            new Restriction("eu-only", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("DE"), RestrictionRule.ForGeography("FR")),
            new Restriction("partners", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer("partner.example.org", "/images/*")),
            new Restriction("banned", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("2001:db8::/32")),
        ],
    };
}
