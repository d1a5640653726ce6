using Poppy.Sdk.Models;

namespace Poppy.Sdk.Akamai.Tests;

internal static class TestSpecs
{
    /// <summary>One HTTP domain, one origin, the default caching rule.</summary>
    public static ServiceSpec Simple(string domain = "www.example.com") => new()
    {
        Name = "My site",
        FlavorId = "standard",
        Domains = [new DomainSpec(domain)],
        Origins = [new OriginSpec("origin.example.net")],
    };

    /// <summary>Two origins routed by path, caching per path (with a no-store path), and every restriction kind.</summary>
    public static ServiceSpec Full() => new()
    {
        Name = "Full site",
        FlavorId = "standard",
        Domains = [new DomainSpec("www.example.com"), new DomainSpec("img.example.com")],
        Origins =
        [
            new OriginSpec("origin.example.net", 8080) { HostHeaderType = HostHeaderType.Origin },
            new OriginSpec("images.example.net", 443, ssl: true) { Rules = [new PathRule("images", "/images/*")], HostHeaderType = HostHeaderType.Custom, HostHeaderValue = "img.example.org" },
        ],
        Caching =
        [
            new CachingRule("default", 3600, new PathRule("all", "/*")),
            new CachingRule("api", 0, new PathRule("api", "/api/*")),
            new CachingRule("static", 86_400 * 7, new PathRule("static", "/static/*")),
        ],
        Restrictions =
        [
            new Restriction("referrers", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer("example.com"), RestrictionRule.ForReferrer("partner.example.org")),
            new Restriction("no-xx", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("CN", "/videos/*"), RestrictionRule.ForClientIp("192.0.2.0/24")),
        ],
    };

    /// <summary>An HTTPS domain on a Secure by Default certificate.</summary>
    public static ServiceSpec Https() => Simple() with { Domains = [new DomainSpec("secure.example.com", DomainProtocol.Https, CertificateKind.Sni)] };
}
