using Poppy.Sdk.Models;

namespace Poppy.Sdk.Tests;

internal static class TestSpecs
{
    public static ServiceSpec Basic(string flavor = "mirror", string domain = "www.example.com") => new()
    {
        Name = "my service",
        FlavorId = flavor,
        Domains = [new DomainSpec(domain)],
        Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")] }],
        Caching = [new CachingRule("default", 3600, new PathRule("default", "/*"))],
    };

    public static ServiceSpec WithGeography(string flavor) => Basic(flavor) with
    {
        Restrictions = [new Restriction("geo", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US"))],
    };
}
