using System.Text.Json.Nodes;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class PlanServiceTests
{
    [Fact]
    public void PlanService_ValidSpec_RulesAndHostnamesDocumentsWithPlaceholders()
    {
        var m = new AkamaiMock();

        var plan = m.Provider.PlanService(TestSpecs.Full());

        Assert.True(plan.IsValid);
        Assert.Equal(2, plan.Documents.Count);
        Assert.Equal("application/vnd.akamai.papirules.v2025-01-13+json", plan.Documents[0].MediaType);
        var rules = JsonNode.Parse(plan.Documents[0].Content)!;
        Assert.Equal("{cp_code}", (string?)rules["rules"]!["behaviors"]![1]!["options"]!["value"]!["id"]);
        Assert.Equal("poppy:service_id={service_id}", (string?)rules["comments"]);
        var hostnames = JsonNode.Parse(plan.Documents[1].Content)!.AsArray();
        Assert.Equal(["www.example.com", "img.example.com"], hostnames.Select(h => (string?)h!["cnameFrom"]));
        Assert.All(hostnames, h => Assert.Equal("poppy-{service_id}.edgesuite.net", (string?)h!["cnameTo"]));
        Assert.Contains("STAGING then PRODUCTION", plan.Summary, StringComparison.Ordinal);
        Assert.Contains("poppy-{service_id}", plan.Summary, StringComparison.Ordinal);
        m.Verify();
    }

    [Fact]
    public void PlanService_GivenCpCode_ShowsItsNumber()
    {
        var m = new AkamaiMock(o => o.CpCodeId = 4242);
        var rules = JsonNode.Parse(m.Provider.PlanService(TestSpecs.Simple()).Documents[0].Content)!;
        Assert.Equal(4242, (long)rules["rules"]!["behaviors"]![1]!["options"]!["value"]!["id"]!);
    }

    [Fact]
    public void PlanService_HttpsDomainOnEdgeSuite_ProblemWithTheOptionToChange()
    {
        var m = new AkamaiMock();

        var plan = m.Provider.PlanService(TestSpecs.Https());

        Assert.False(plan.IsValid);
        var problem = Assert.Single(plan.Problems, p => p.Path == "/domains/0/protocol");
        Assert.Equal("akamai", problem.Provider);
        Assert.Contains("Akamai:EdgeHostnameDomain", problem.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanService_HttpsSniOnEdgeKey_SecureByDefaultHostnameAndIsSecure()
    {
        var m = new AkamaiMock(o => o.EdgeHostnameDomain = AkamaiCdnProviderOptions.EdgeKey);

        var plan = m.Provider.PlanService(TestSpecs.Https());

        Assert.True(plan.IsValid, string.Join("; ", plan.Problems));
        Assert.Equal("DEFAULT", (string?)JsonNode.Parse(plan.Documents[1].Content)![0]!["certProvisioningType"]);
        Assert.True((bool)JsonNode.Parse(plan.Documents[0].Content)!["rules"]!["options"]!["is_secure"]!);
    }

    [Theory]
    [InlineData(CertificateKind.Shared)]
    public void PlanService_SharedCertificate_Unsupported(CertificateKind kind)
    {
        var m = new AkamaiMock(o => o.EdgeHostnameDomain = AkamaiCdnProviderOptions.EdgeKey);
        var plan = m.Provider.PlanService(TestSpecs.Simple() with { Domains = [new DomainSpec("mysite", DomainProtocol.Https, kind)] });
        Assert.Contains(plan.Problems, p => p.Path.StartsWith("/domains/0", StringComparison.Ordinal));
    }

    [Fact]
    public void PlanService_IpAddressOrigin_Unsupported()
    {
        var m = new AkamaiMock();
        var plan = m.Provider.PlanService(TestSpecs.Simple() with { Origins = [new OriginSpec("192.0.2.10")] });
        Assert.Contains(plan.Problems, p => p.Path.StartsWith("/origins/0", StringComparison.Ordinal));
    }

    [Fact]
    public void PlanService_LogDelivery_Unsupported()
    {
        var m = new AkamaiMock();
        var plan = m.Provider.PlanService(TestSpecs.Simple() with { LogDelivery = new LogDelivery { Enabled = true } });
        Assert.Contains(plan.Problems, p => p.Path.StartsWith("/log_delivery", StringComparison.Ordinal));
    }

    [Fact]
    public void PlanService_RequestUrlWithQuery_ProblemOnEveryPath()
    {
        var m = new AkamaiMock();
        var spec = TestSpecs.Full() with { Caching = [new CachingRule("q", 60, new PathRule("q", "/search?q=1"))] };

        var plan = m.Provider.PlanService(spec);

        Assert.Contains(plan.Problems, p => p.Path == "/caching/0/rules/0/request_url" && p.Message.Contains("'?'", StringComparison.Ordinal));
    }

    [Fact]
    public void PlanService_InvalidModel_ReportsTheModelProblems()
    {
        var m = new AkamaiMock();
        var plan = m.Provider.PlanService(new ServiceSpec { Name = "x" });
        Assert.False(plan.IsValid);
        Assert.Contains(plan.Problems, p => p.Path == "/domains");
    }

    [Fact]
    public async Task CreateServiceAsync_PlanProblem_NothingSent()
    {
        var m = new AkamaiMock();
        await Assert.ThrowsAsync<CdnValidationException>(() => m.Provider.CreateServiceAsync(AkamaiMock.ServiceId, TestSpecs.Https()));
        await Assert.ThrowsAsync<CdnValidationException>(() => m.Provider.UpdateServiceAsync(new ServiceReference(AkamaiMock.ServiceId), TestSpecs.Https()));
        m.Verify();
    }

    [Fact]
    public void Capabilities_DeclareWhatFastPurgeAndPapiHonour()
    {
        var c = new AkamaiMock().Provider.Capabilities;
        Assert.Equal(RestrictionSupport.All, c.Restrictions);
        Assert.Equal(RestrictionSupport.All, c.PerPathRestrictions);
        Assert.Equal(PurgeSupport.Url | PurgeSupport.Tag | PurgeSupport.All | PurgeSupport.Soft, c.Purge);
        Assert.False(c.Purge.HasFlag(PurgeSupport.Prefix));
        Assert.False(c.LogDelivery);
        Assert.True(c.AsynchronousDeployment);
        Assert.Equal(CertificateSupport.None, c.Certificates);
        Assert.Equal(CertificateSupport.Sni | CertificateSupport.San | CertificateSupport.Custom, new AkamaiMock(o => o.EdgeHostnameDomain = "edgekey.net").Provider.Capabilities.Certificates);
        Assert.Equal(new PurgeRateLimit(50, TimeSpan.FromSeconds(1), 100), c.PurgeRateLimit);
    }
}
