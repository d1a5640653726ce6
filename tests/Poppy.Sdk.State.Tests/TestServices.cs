using Poppy.Sdk.Models;

namespace Poppy.Sdk.State.Tests;

internal static class TestServices
{
    public static ServiceSpec Spec(string name = "my service", string domain = "www.example.com") => new()
    {
        Name = name,
        FlavorId = "global",
        Domains = [new DomainSpec(domain)],
        Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")] }],
        Caching = [new CachingRule("default", 3600, new PathRule("default", "/*"))],
        Restrictions = [new Restriction("geo", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US"))],
    };

    public static CdnService Service(string id) => new() { ServiceId = id, Spec = Spec() };

    /// <summary>A service with every kind of provider detail, so a round trip through a store checks them all.</summary>
    public static CdnService Rich(string id) => new()
    {
        ServiceId = id,
        Spec = Spec("rich \"quoted\" ünïcode service"),
        Providers =
        [
            new ProviderServiceDetails
            {
                Provider = "fastly",
                ServiceId = id,
                VendorServiceId = "SU1Z0isxPaozGVKXdv0eY",
                Status = ProviderStatus.Deployed,
                AccessUrls = [new AccessUrl("www.example.com", "www.example.com.global.prod.fastly.net")],
                CertificateStatuses = new Dictionary<string, CertificateStatus> { ["www.example.com"] = CertificateStatus.Deployed },
            },
            new ProviderServiceDetails
            {
                Provider = "cloudfront",
                ServiceId = id,
                VendorServiceId = "E2QWRUHAPOMQZL",
                Status = ProviderStatus.Failed,
                OperationId = "op-123",
                Error = new ProviderError("RateLimited", "Slow down.") { VendorCode = "Throttling", RequestId = "req-1", HttpStatus = 429, IsTransient = true },
            },
        ],
        PendingCleanup = ["akamai"],
    };
}
