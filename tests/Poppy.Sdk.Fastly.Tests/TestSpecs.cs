using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Fastly.Tests;

internal static class TestSpecs
{
    /// <summary>One HTTP domain, one origin, default caching.</summary>
    public static ServiceSpec Minimal() => new()
    {
        Name = "Minimal site",
        FlavorId = "cdn",
        Domains = [new DomainSpec("www.example.com")],
        Origins = [new OriginSpec("origin.example.net")],
    };

    /// <summary>Every feature Fastly maps.</summary>
    public static ServiceSpec Rich() => new()
    {
        Name = "Rich site",
        FlavorId = "cdn",
        Domains = [new DomainSpec("www.example.com"), new DomainSpec("mysite", DomainProtocol.Https, CertificateKind.Shared)],
        Origins =
        [
            new OriginSpec("origin.example.net", 443, ssl: true) { HostHeaderType = HostHeaderType.Origin },
            new OriginSpec("images.example.net", 80)
            {
                Rules = [new PathRule("images", "/images/*")],
                HostHeaderType = HostHeaderType.Custom,
                HostHeaderValue = "img.example.com",
            },
        ],
        Caching =
        [
            new CachingRule("default", 3600, new PathRule("default", "/*")),
            new CachingRule("images", 86400, new PathRule("images", "/images/*")),
            new CachingRule("api", 0, new PathRule("api", "/api/*")),
        ],
        Restrictions =
        [
            new Restriction("north-america", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US", name: "us"), RestrictionRule.ForGeography("CA", name: "ca")),
            new Restriction("no-admin", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("203.0.113.0/24", "/admin/*", "bad-net")),
            new Restriction("hotlinks", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer("www.example.org", name: "partner")),
        ],
    };

    public static ServiceSpec Normalize(ServiceSpec spec, ValidationMode mode = ValidationMode.Create) =>
        ServiceSpecValidator.Validate(spec, mode).GetNormalizedOrThrow();
}
