using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.CloudFront.Tests;

public class TranslatorTests
{
    private static (DistributionConfig Config, RestrictionProgram? Program, string? FunctionName) Build(ServiceSpec spec, Action<CloudFrontCdnProviderOptions>? configure = null)
    {
        var (plan, config) = new CloudFrontMock(configure).Resolved(spec);
        return (config, plan.Function?.Program, plan.Function?.Name);
    }

    private static IReadOnlyList<ValidationProblem> Problems(ServiceSpec spec, Action<CloudFrontCdnProviderOptions>? configure = null) =>
        new CloudFrontMock(configure).Translator.Plan(CloudFrontMock.ServiceId, TestSpecs.Normalize(spec)).Problems;

    [Fact]
    public void Rich_OriginsBehavioursAndTtls()
    {
        var config = Build(TestSpecs.Rich).Config;

        Assert.Equal(["www.example.com", "static.example.com"], config.Aliases);
        Assert.Equal(["poppy-origin-0", "poppy-origin-1"], config.Origins.Select(o => o.Id));
        var images = config.Origins[1];
        Assert.Equal(("images.example.net", 80, 8443, "https-only"), (images.DomainName, images.HttpPort, images.HttpsPort, images.ProtocolPolicy));
        Assert.Equal("http-only", config.Origins[0].ProtocolPolicy);

        // Most specific first; each path targets the origin that routes it, with the TTL of the rule covering it.
        Assert.Equal(
            [("/images/thumbs/*", "poppy-origin-1", 86_400L), ("/images/*", "poppy-origin-1", 3600L), ("/api/*", "poppy-origin-0", 0L)],
            config.CacheBehaviors.Select(b => (b.PathPattern!, b.TargetOriginId, b.DefaultTtl!.Value)));
        Assert.Equal((0L, 0L), (config.CacheBehaviors[2].MinTtl!.Value, config.CacheBehaviors[2].MaxTtl!.Value)); // TTL 0: never cached
        Assert.Equal(31_536_000L, config.CacheBehaviors[0].MaxTtl);
        Assert.Equal(("poppy-origin-0", 3600L), (config.DefaultCacheBehavior.TargetOriginId, config.DefaultCacheBehavior.DefaultTtl!.Value));

        // Origin host header: CloudFront's default (no Host forwarded); domain host header: Host forwarded.
        Assert.Empty(config.CacheBehaviors[0].ForwardedHeaders);
        Assert.Equal(["Host"], config.CacheBehaviors[2].ForwardedHeaders);
    }

    [Fact]
    public void Rich_GeographyIsNative_ReferrerAndIpGoToTheFunction()
    {
        var plan = Build(TestSpecs.Rich);

        Assert.Equal("whitelist", plan.Config.GeoRestriction!.RestrictionType);
        Assert.Equal(["DE", "FR"], plan.Config.GeoRestriction.Locations);
        Assert.Equal(CloudFrontTranslator.FunctionName(CloudFrontMock.ServiceId), plan.FunctionName);
        Assert.Equal(
            [("referrer", "whitelist", "/images/*", "^/images/.*$", "partner.example.org"), ("client_ip", "whitelist", "/api/*", "^/api/.*$", "198.51.100.0/24"), ("client_ip", "blacklist", "/*", null, "2001:db8::/32")],
            plan.Program!.Groups.Select(g => (g.Kind, g.Access, g.Path, g.PathRegex, string.Join(",", g.Values))));
        var association = new FunctionAssociation("arn:aws:cloudfront::123456789012:function/" + plan.FunctionName, "viewer-request");
        Assert.All(plan.Config.CacheBehaviors.Append(plan.Config.DefaultCacheBehavior), b => Assert.Equal([association], b.FunctionAssociations));
    }

    [Fact]
    public void Plan_ConfigCarriesNoAssociation_ResolveAddsItWithoutChangingThePlan()
    {
        var (plan, problems) = new CloudFrontMock().Translator.Plan(CloudFrontMock.ServiceId, TestSpecs.Normalize(TestSpecs.Rich));
        Assert.Empty(problems);
        var before = CloudFrontXml.DistributionConfig(plan.Config);

        var resolved = plan.Resolve("arn:aws:cloudfront::1:function/f");

        Assert.All(plan.Config.CacheBehaviors.Append(plan.Config.DefaultCacheBehavior), b => Assert.Empty(b.FunctionAssociations));
        Assert.Equal(before, CloudFrontXml.DistributionConfig(plan.Config));
        Assert.All(resolved.CacheBehaviors.Append(resolved.DefaultCacheBehavior), b => Assert.Equal([new FunctionAssociation("arn:aws:cloudfront::1:function/f", "viewer-request")], b.FunctionAssociations));
        Assert.Equal(ViewerRequestFunction.Code(plan.Function!.Program), plan.Function.Code);
    }

    [Fact]
    public void Resolve_ArnMissingForAFunction_OrGivenWithoutOne_Throws()
    {
        var translator = new CloudFrontMock().Translator;
        var rich = translator.Plan(CloudFrontMock.ServiceId, TestSpecs.Normalize(TestSpecs.Rich)).Plan;
        var simple = translator.Plan(CloudFrontMock.ServiceId, TestSpecs.Normalize(TestSpecs.Simple)).Plan;

        Assert.Throws<InvalidOperationException>(() => rich.Resolve(null));
        Assert.Throws<InvalidOperationException>(() => simple.Resolve("arn:aws:cloudfront::1:function/f"));
        Assert.Empty(simple.Resolve(null).DefaultCacheBehavior.FunctionAssociations);
    }

    [Theory]
    [InlineData("/images/*", true)]
    [InlineData("images/*.jpg", true)]
    [InlineData("/a-b_c.d~e$f'g@h:i+j&k\"l/*", true)]
    [InlineData("/search?q=*", false)]
    [InlineData("/a b/*", false)]
    [InlineData("/caf\u00e9/*", false)]
    [InlineData("/100%25/*", false)]
    [InlineData("/x#y", false)]
    public void IsPathPattern_DocumentedCharactersOnly(string requestUrl, bool expected) =>
        Assert.Equal(expected, CloudFrontTranslator.IsPathPattern(requestUrl));

    [Fact]
    public void IsPathPattern_AtMost255CharactersWithTheLeadingSlash()
    {
        Assert.True(CloudFrontTranslator.IsPathPattern(new string('a', 254)));
        Assert.False(CloudFrontTranslator.IsPathPattern(new string('a', 255)));
        Assert.True(CloudFrontTranslator.IsPathPattern("/" + new string('a', 254)));
        Assert.False(CloudFrontTranslator.IsPathPattern("/" + new string('a', 255)));
    }

    [Fact]
    public void Plan_RequestUrlsThatCannotBePathPatterns_EachReportedWhereItIs()
    {
        var tooLong = "/" + new string('a', 299);
        var spec = TestSpecs.Simple with
        {
            Origins =
            [
                new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*"), new PathRule("long", tooLong)] },
            ],
            Caching = [new CachingRule("default", 3600, new PathRule("all", "/*")), new CachingRule("search", 60, new PathRule("q", "/search?q=*"))],
        };

        var problems = Problems(spec);

        Assert.Equal(["/origins/0/rules/1/request_url", "/caching/1/rules/0/request_url"], problems.Select(p => p.Path));
        Assert.All(problems, p => Assert.Equal(CloudFrontTranslator.PathPatternRemedy, p.Remedy));
        Assert.Contains("300 characters", problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeographyBlacklist_AndRegionsExpand()
    {
        var spec = TestSpecs.Simple with { Restrictions = [new Restriction("no", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("Australia/NZ"))] };
        var geo = Build(spec).Config.GeoRestriction!;
        Assert.Equal("blacklist", geo.RestrictionType);
        Assert.Contains("AU", geo.Locations);
        Assert.Contains("NZ", geo.Locations);
        Assert.Null(Build(spec).Program);
    }

    public static TheoryData<string, ServiceSpec, string> Unmappable => new()
    {
        { "per-path geography", TestSpecs.Simple with { Restrictions = [new Restriction("eu", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("DE", "/eu/*"))] }, "/restrictions/0/rules/0/request_url" },
        { "ip origin", TestSpecs.Simple with { Origins = [new OriginSpec("192.0.2.10") { Rules = [new PathRule("all", "/*")] }] }, "/origins/0/origin" },
        { "custom host header", TestSpecs.Simple with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*")], HostHeaderType = HostHeaderType.Custom, HostHeaderValue = "x.example.com" }] }, "/origins/0/hostheadervalue" },
        { "alias without ACM", TestSpecs.Simple, "/domains/0/domain" },
    };

    [Theory]
    [MemberData(nameof(Unmappable))]
    public void Unmappable_IsRejectedWithItsPath(string what, ServiceSpec spec, string path)
    {
        var problems = Problems(spec, o => o.AcmCertificateArn = what == "alias without ACM" ? null : o.AcmCertificateArn);
        var problem = Assert.Single(problems, p => p.Path == path);
        Assert.NotNull(problem.Remedy);
    }

    [Fact]
    public void HttpsWithAcmCertificate_SniOnly()
    {
        const string Arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
        var spec = TestSpecs.Simple with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.Custom)] };
        var config = Build(spec, o => o.AcmCertificateArn = Arn).Config;
        Assert.Equal((false, Arn, "sni-only", "TLSv1.2_2021"), (config.ViewerCertificate!.CloudFrontDefaultCertificate, config.ViewerCertificate.AcmCertificateArn, config.ViewerCertificate.SslSupportMethod, config.ViewerCertificate.MinimumProtocolVersion));
        Assert.Equal("redirect-to-https", config.DefaultCacheBehavior.ViewerProtocolPolicy);
    }

    [Fact]
    public void SharedHttpsDomain_IsNotAnAlias()
    {
        var spec = TestSpecs.Simple with { Domains = [new DomainSpec("mysite", DomainProtocol.Https, CertificateKind.Shared), new DomainSpec("www.example.com")] };
        var config = Build(spec).Config;
        Assert.Equal(["www.example.com"], config.Aliases);
        var sharedOnly = Build(spec with { Domains = [spec.Domains[0]] }, o => o.AcmCertificateArn = null).Config;
        Assert.Empty(sharedOnly.Aliases);
        Assert.True(sharedOnly.ViewerCertificate!.CloudFrontDefaultCertificate);
    }

    [Fact]
    public void CacheTagHeader_IsConfiguredWhenSet() =>
        Assert.Equal("Cache-Tag", Build(TestSpecs.Simple, o => o.CacheTagHeaderName = "Cache-Tag").Config.CacheTagHeaderName);

    [Fact]
    public void Manifest_RoundTripsThroughTags()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich);
        var tags = CloudFrontTranslator.Tags("svc-1", spec);

        Assert.Equal(new KeyValuePair<string, string>("poppy:service-id", "svc-1"), tags[0]);
        Assert.All(tags.Skip(1), t => Assert.Matches("^poppy:manifest:[0-9]{2}$", t.Key));
        Assert.All(tags, t => Assert.True(t.Value.Length <= 256 && t.Value.All(c => char.IsLetterOrDigit(c) || "+/=_.:@- ".Contains(c, StringComparison.Ordinal))));
        Assert.Equal(spec, CloudFrontTranslator.ReadManifest(tags.Reverse()));
    }

    [Fact]
    public void Read_DeployedAsConfigured_ReturnsTheManifest()
    {
        var mock = new CloudFrontMock();
        var spec = TestSpecs.Normalize(TestSpecs.Rich);
        var (plan, config) = mock.Resolved(spec, "svc-1");
        var distribution = new Distribution { Id = "E1", Status = "Deployed", DomainName = "d1.cloudfront.net", Config = config };

        var (read, drift) = mock.Translator.ReadBack("svc-1", distribution, spec, plan.Function!.Program);

        Assert.Equal(spec, read);
        Assert.Empty(drift);
    }

    [Fact]
    public void Read_ChangedOutsidePoppy_ReconstructsAndReportsDrift()
    {
        var mock = new CloudFrontMock();
        var spec = TestSpecs.Normalize(TestSpecs.Rich);
        var (plan, config) = mock.Resolved(spec, "svc-1");
        config.Aliases.Add("extra.example.com");
        var distribution = new Distribution { Id = "E1", Status = "Deployed", DomainName = "d1.cloudfront.net", Config = config };

        var (read, drift) = mock.Translator.ReadBack("svc-1", distribution, spec, plan.Function!.Program);

        Assert.Equal([new SpecDifference("/domains/2", null, "{\"domain\":\"extra.example.com\",\"protocol\":\"http\"}")], drift);
        Assert.Equal(["www.example.com", "static.example.com", "extra.example.com"], read.Domains.Select(d => d.Domain));
        Assert.Equal(("rich", "global"), (read.Name, read.FlavorId));
        Assert.Equal(["origin.example.net", "images.example.net"], read.Origins.Select(o => o.Origin));
        Assert.Equal(["/images/thumbs/*", "/images/*"], read.Origins[1].Rules.Select(r => r.RequestUrl));
        Assert.Equal(3600, read.Caching![0].Ttl);
        Assert.Contains(read.Restrictions, r => r.Rules.Any(x => x.Geography == "DE"));
        Assert.Contains(read.Restrictions, r => r.Rules.Any(x => x.Referrer == "partner.example.org" && x.RequestUrl == "/images/*"));
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1/32")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("2001:DB8::1/64", "2001:db8::1/64")]
    [InlineData("10.0.0.0/33", null)]
    [InlineData("nope", null)]
    public void Network_Canonical(string input, string? expected) => Assert.Equal(expected, CloudFrontTranslator.Network(input));

    [Fact]
    public void FunctionName_IsValidAndStable()
    {
        var name = CloudFrontTranslator.FunctionName("weird id/with:chars and a very long tail that goes on and on and on");
        Assert.Matches("^[A-Za-z0-9_-]{1,64}$", name);
        Assert.Equal(name, CloudFrontTranslator.FunctionName("weird id/with:chars and a very long tail that goes on and on and on"));
        Assert.NotEqual(name, CloudFrontTranslator.FunctionName("weird id/with:chars and a very long tail that goes on and on and on!"));
    }
}
