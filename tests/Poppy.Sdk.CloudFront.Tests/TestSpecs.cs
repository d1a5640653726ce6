using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.CloudFront.Tests;

internal static class TestSpecs
{
    public static ServiceSpec Normalize(ServiceSpec spec) => ServiceSpecValidator.Validate(spec, ValidationMode.Create).GetNormalizedOrThrow();

    /// <summary>One HTTP domain, one origin, one catch-all caching rule.</summary>
    public static ServiceSpec Simple => new()
    {
        Name = "simple",
        FlavorId = "global",
        Domains = [new DomainSpec("www.example.com")],
        Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*")] }],
        Caching = [new CachingRule("default", 3600, new PathRule("all", "/*"))],
    };

    /// <summary>Two origins routed by path, per-path caching, a geography whitelist, referrer and client-IP restrictions.</summary>
    public static ServiceSpec Rich => new()
    {
        Name = "rich",
        FlavorId = "global",
        Domains = [new DomainSpec("www.example.com"), new DomainSpec("static.example.com")],
        Origins =
        [
            new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*")] },
            new OriginSpec("images.example.net", 8443, ssl: true) { Rules = [new PathRule("images", "/images/*")], HostHeaderType = HostHeaderType.Origin },
        ],
        Caching =
        [
            new CachingRule("default", 3600, new PathRule("all", "/*")),
            new CachingRule("thumbs", 86_400, new PathRule("thumbs", "/images/thumbs/*")),
            new CachingRule("api", 0, new PathRule("api", "/api/*")),
        ],
        Restrictions =
        [
            new Restriction("eu-only", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("DE"), RestrictionRule.ForGeography("FR")),
            new Restriction("partners", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer("partner.example.org", "/images/*")),
            new Restriction("office", RestrictionAccess.Whitelist, RestrictionRule.ForClientIp("198.51.100.0/24", "/api/*")),
            new Restriction("banned", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("2001:db8::/32")),
        ],
    };
}
