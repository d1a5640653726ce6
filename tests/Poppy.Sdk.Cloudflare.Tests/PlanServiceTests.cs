using System.Text.Json;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>Every plan rule, offline: no HTTP call is made (the harness's fake zone records none).</summary>
public class PlanServiceTests
{
    private static ProviderPlan Plan(ServiceSpec spec, Action<CloudflareCdnProviderOptions>? configure = null)
    {
        var h = new CloudflareHarness(configure);
        var plan = h.Provider.PlanService(TestSpecs.Normalize(spec));
        Assert.Empty(h.Zone.Calls);
        return plan;
    }

    [Fact]
    public void PlanService_Valid_ShowsHostnamesAndRulesOfEachPhase()
    {
        var plan = Plan(TestSpecs.Rich(), o => o.Plan = CloudflarePlanTier.Business);

        Assert.True(plan.IsValid);
        Assert.Equal("2 custom hostname(s) on the SaaS zone; 2 origin rule(s), 3 cache rule(s), 3 custom firewall rule(s)", plan.Summary);
        Assert.Equal(["custom_hostnames", "rules/http_request_origin", "rules/http_request_cache_settings", "rules/http_request_firewall_custom"], plan.Documents.Select(d => d.Name));
        using var hostnames = JsonDocument.Parse(plan.Documents[0].Content);
        var first = hostnames.RootElement[0];
        Assert.Equal("http", first.GetProperty("ssl").GetProperty("method").GetString());
        Assert.Equal("txt", hostnames.RootElement[1].GetProperty("ssl").GetProperty("method").GetString());
        Assert.Equal("{service_id}", first.GetProperty("custom_metadata").GetProperty("poppy:service-id").GetString());
        Assert.Equal(":request_host_header:", first.GetProperty("custom_origin_sni").GetString());
        using var firewall = JsonDocument.Parse(plan.Documents[3].Content);
        Assert.Equal(
            [
                "http.host in {\"www.example.com\" \"static.example.com\"} and not (ip.src.country in {\"DE\"} or ip.src.country in {\"FR\"})",
                "http.host in {\"www.example.com\" \"static.example.com\"} and starts_with(http.request.uri.path, \"/images/\") and not (http.referer strict wildcard \"http://partner.example.org/*\" or http.referer strict wildcard \"https://partner.example.org/*\")",
                "http.host in {\"www.example.com\" \"static.example.com\"} and (ip.src in {2001:db8::/32})",
            ],
            firewall.RootElement.EnumerateArray().Select(r => r.GetProperty("expression").GetString()));
        using var origin = JsonDocument.Parse(plan.Documents[1].Content);
        Assert.Equal("{\"host_header\":\"images.saas.example\",\"origin\":{\"host\":\"images.saas.example\",\"port\":8443},\"sni\":{\"value\":\"images.saas.example\"}}", origin.RootElement[1].GetProperty("action_parameters").GetRawText());
        using var cache = JsonDocument.Parse(plan.Documents[2].Content);
        Assert.Equal("{\"cache\":false}", cache.RootElement[2].GetProperty("action_parameters").GetRawText());
    }

    [Theory]
    [InlineData(CloudflarePlanTier.Free, 3600, true)]
    [InlineData(CloudflarePlanTier.Free, 7200, false)]
    [InlineData(CloudflarePlanTier.Pro, 1800, true)]
    [InlineData(CloudflarePlanTier.Pro, 3600, false)]
    [InlineData(CloudflarePlanTier.Business, 1, false)]
    [InlineData(CloudflarePlanTier.Free, 0, false)]
    public void PlanService_TtlBelowThePlansMinimum_IsAProblem(CloudflarePlanTier tier, int ttl, bool problem)
    {
        var plan = Plan(TestSpecs.Simple() with { Caching = [new CachingRule("c", ttl, new PathRule("all", "/*"))] }, o => o.Plan = tier);

        Assert.Equal(problem, plan.Problems.Any(p => p.Path == "/caching/0/ttl" && p.Remedy == "Cloudflare:Plan" && p.Provider == "cloudflare"));
    }

    [Fact]
    public void PlanService_MoreFirewallRulesThanTheFreePlanAllows_IsAProblem()
    {
        var restrictions = Enumerable.Range(0, 6).Select(i => new Restriction($"r{i}", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp($"192.0.2.{i}", $"/p{i}/*"))).ToList();

        var plan = Plan(TestSpecs.Simple() with { Restrictions = restrictions });

        var problem = Assert.Single(plan.Problems);
        Assert.Equal("/restrictions", problem.Path);
        Assert.Contains("6 custom firewall rules, but the Free plan allows 5 per zone", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanService_MixedOriginTls_IsAProblem()
    {
        var spec = TestSpecs.Simple() with
        {
            Origins = [new OriginSpec("a.saas.example") { Rules = [new PathRule("all", "/*")] }, new OriginSpec("b.saas.example", 443, ssl: true) { Rules = [new PathRule("b", "/b/*")] }],
        };

        Assert.Contains(Plan(spec).Problems, p => p.Path == "/origins" && p.Message.Contains("same 'ssl'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CertificateKind.Shared)]
    [InlineData(CertificateKind.Custom)]
    public void PlanService_UnsupportedCertificateKind_IsRejected(CertificateKind kind)
    {
        var spec = TestSpecs.Simple() with { Domains = [new DomainSpec(kind == CertificateKind.Shared ? "mysite" : "www.example.com", DomainProtocol.Https, kind)] };

        Assert.Contains(Plan(spec).Problems, p => p.Path == "/domains/0/certificate");
    }

    [Fact]
    public void PlanService_IpOriginAndLogDelivery_AreRejected()
    {
        var spec = TestSpecs.Simple() with { Origins = [new OriginSpec("192.0.2.10") { Rules = [new PathRule("all", "/*")] }], LogDelivery = new LogDelivery { Enabled = true } };

        var paths = Plan(spec).Problems.Select(p => p.Path).ToList();

        Assert.Contains("/origins/0/origin", paths);
        Assert.Contains("/log_delivery/enabled", paths);
    }

    [Fact]
    public void PlanService_QueryStringInRequestUrl_IsAProblem()
    {
        var spec = TestSpecs.Simple() with { Caching = [new CachingRule("c", 7200, new PathRule("q", "/search?q=*"))] };

        Assert.Contains(Plan(spec).Problems, p => p.Path == "/caching/0/rules/0/request_url" && p.Message.Contains("query string", StringComparison.Ordinal));
    }

    [Fact]
    public void Capabilities_FollowThePlan()
    {
        var free = new CloudflareHarness().Provider.Capabilities;
        var enterprise = new CloudflareHarness(o => (o.Plan, o.TreatSoftPurgeAsHard) = (CloudflarePlanTier.Enterprise, true)).Provider.Capabilities;

        Assert.Equal(new PurgeRateLimit(5, TimeSpan.FromMinutes(1), 25), free.PurgeRateLimit);
        Assert.Equal(new PurgeRateLimit(50, TimeSpan.FromSeconds(1), 500), enterprise.PurgeRateLimit);
        Assert.False(free.Purge.HasFlag(PurgeSupport.Soft));
        Assert.True(enterprise.Purge.HasFlag(PurgeSupport.Soft));
        Assert.Equal((100, true, false, false), (free.MaxPurgeBatchSize, free.AsynchronousDeployment, free.LogDelivery, free.IpAddressOrigins));
    }
}
