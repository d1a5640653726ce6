using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.CloudFront.Tests;

/// <summary>The offline plan: every CloudFront rule rejected by <c>PlanService</c>, and by create and update before any HTTP call.</summary>
public class PlanServiceTests
{
    private static readonly string TooLong = "/" + new string('a', 299);

    /// <summary>Each rule: the spec, the options change, the path of the problem, and its remedy.</summary>
    public static TheoryData<string, ServiceSpec, bool, string, string> Rules => new()
    {
        { "alias without ACM certificate (HTTP)", TestSpecs.Simple, false, "/domains/0/domain", "CloudFront:AcmCertificateArn" },
        { "alias without ACM certificate (HTTPS custom)", TestSpecs.Simple with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.Sni)] }, false, "/domains/0/domain", "CloudFront:AcmCertificateArn" },
        {
            "geography on a path",
            TestSpecs.Simple with { Restrictions = [new Restriction("eu", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("DE", "/eu/*"))] },
            true,
            "/restrictions/0/rules/0/request_url",
            CloudFrontTranslator.GeographyPathRemedy
        },
        {
            "origin request_url of 300 characters",
            TestSpecs.Simple with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*"), new PathRule("long", TooLong)] }] },
            true,
            "/origins/0/rules/1/request_url",
            CloudFrontTranslator.PathPatternRemedy
        },
        {
            "caching request_url with '?'",
            TestSpecs.Simple with { Caching = [new CachingRule("default", 3600, new PathRule("all", "/*")), new CachingRule("search", 60, new PathRule("q", "/search?q=*"))] },
            true,
            "/caching/1/rules/0/request_url",
            CloudFrontTranslator.PathPatternRemedy
        },
        {
            "second origin's request_url with a percent sign",
            TestSpecs.Simple with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*")] }, new OriginSpec("img.example.net") { Rules = [new PathRule("img", "/img/a%20b/*")] }] },
            true,
            "/origins/1/rules/0/request_url",
            CloudFrontTranslator.PathPatternRemedy
        },
        {
            "IP address origin",
            TestSpecs.Simple with { Origins = [new OriginSpec("192.0.2.10") { Rules = [new PathRule("all", "/*")] }] },
            true,
            "/origins/0/origin",
            CloudFrontTranslator.DnsOriginRemedy
        },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void PlanService_RuleBroken_ReportsItWithPathAndRemedy(string rule, ServiceSpec spec, bool withAcm, string path, string remedy)
    {
        var mock = new CloudFrontMock(o => o.AcmCertificateArn = withAcm ? o.AcmCertificateArn : null);

        var plan = mock.Provider.PlanService(TestSpecs.Normalize(spec));

        Assert.False(plan.IsValid, rule);
        var problem = Assert.Single(plan.Problems, p => p.Path == path);
        Assert.Equal(remedy, problem.Remedy);
        Assert.Equal("cloudfront", problem.Provider);
        Assert.Empty(plan.Documents);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task CreateAndUpdate_RuleBroken_ThrowBeforeAnyHttpCall(string rule, ServiceSpec spec, bool withAcm, string path, string remedy)
    {
        // The mock has no expectation and throws on any request: a single HTTP call fails the test.
        var mock = new CloudFrontMock(o => o.AcmCertificateArn = withAcm ? o.AcmCertificateArn : null);

        var create = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, spec));
        var update = await Assert.ThrowsAsync<CdnValidationException>(() => mock.Provider.UpdateServiceAsync(new ServiceReference(CloudFrontMock.ServiceId, CloudFrontMock.DistributionId), spec));

        Assert.True(create.Problems.Count(p => p.Path == path) == 1, rule + ": " + string.Join("; ", create.Problems));
        Assert.Equal(remedy, Assert.Single(create.Problems, p => p.Path == path).Remedy);
        Assert.Equal(remedy, Assert.Single(update.Problems, p => p.Path == path).Remedy);
        mock.Verify();
    }

    [Fact]
    public void PlanService_EveryProblemAtOnce()
    {
        var spec = TestSpecs.Simple with
        {
            Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*"), new PathRule("long", TooLong), new PathRule("q", "/a?b")] }],
            Restrictions = [new Restriction("eu", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("DE", "/eu/*"))],
        };

        var plan = new CloudFrontMock(o => o.AcmCertificateArn = null).Provider.PlanService(TestSpecs.Normalize(spec));

        Assert.Equal(
            ["/domains/0/domain", "/origins/0/rules/1/request_url", "/origins/0/rules/2/request_url", "/restrictions/0/rules/0/request_url"],
            plan.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.All(plan.Problems, p => Assert.NotNull(p.Remedy));
    }

    [Fact]
    public void PlanService_Valid_ReturnsTheConfigXmlAndTheFunctionCode()
    {
        var mock = new CloudFrontMock();

        var plan = mock.Provider.PlanService(TestSpecs.Normalize(TestSpecs.Rich));

        Assert.True(plan.IsValid, string.Join("; ", plan.Problems));
        Assert.Equal(["DistributionConfig", "application/xml"], [plan.Documents[0].Name, plan.Documents[0].MediaType]);
        Assert.StartsWith("<?xml", plan.Documents[0].Content, StringComparison.Ordinal);
        Assert.Contains("<PathPattern>/images/*</PathPattern>", plan.Documents[0].Content, StringComparison.Ordinal);
        Assert.DoesNotContain("FunctionARN", plan.Documents[0].Content, StringComparison.Ordinal);
        Assert.Equal("application/javascript", plan.Documents[1].MediaType);
        Assert.StartsWith("viewer-request function poppy-", plan.Documents[1].Name, StringComparison.Ordinal);
        Assert.Contains("partner.example.org", plan.Documents[1].Content, StringComparison.Ordinal);
        Assert.Contains("4 cache behaviour(s)", plan.Summary, StringComparison.Ordinal);
        Assert.Contains("associated with every behaviour at apply", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanService_WithoutRestrictionFunction_OneDocument()
    {
        var plan = new CloudFrontMock().Provider.PlanService(TestSpecs.Normalize(TestSpecs.Simple));

        Assert.True(plan.IsValid);
        Assert.Equal("DistributionConfig", Assert.Single(plan.Documents).Name);
        Assert.Contains("no function", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanService_SharedHttpsDomainOnly_NeedsNoCertificate()
    {
        var spec = TestSpecs.Simple with { Domains = [new DomainSpec("mysite", DomainProtocol.Https, CertificateKind.Shared)] };

        Assert.True(new CloudFrontMock(o => o.AcmCertificateArn = null).Provider.PlanService(TestSpecs.Normalize(spec)).IsValid);
    }

    [Fact]
    public void PlanService_CapabilityProblem_NamesTheCapability()
    {
        var spec = TestSpecs.Simple with { LogDelivery = new LogDelivery { Enabled = true } };

        var plan = new CloudFrontMock().Provider.PlanService(TestSpecs.Normalize(spec));

        var problem = Assert.Single(plan.Problems);
        Assert.Equal("/log_delivery/enabled", problem.Path);
        Assert.Equal("a flavor without 'cloudfront', or a spec within its LogDelivery", problem.Remedy);
    }
}
