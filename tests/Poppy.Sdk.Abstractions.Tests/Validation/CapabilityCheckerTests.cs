using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Abstractions.Tests.Validation;

public class CapabilityCheckerTests
{
    private const string Provider = "acme";

    /// <summary>A normalised spec that uses every feature once, so each missing capability shows up at one known path.</summary>
    private static readonly ServiceSpec Rich = Specs.AssertValid(new ServiceSpec
    {
        Name = "rich",
        FlavorId = "global",
        Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.San)],
        Origins =
        [
            new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*")] },
            new OriginSpec("2001:db8::10", 8443, ssl: true)
            {
                Rules = [new PathRule("images", "/images/*")],
                HostHeaderType = HostHeaderType.Custom,
                HostHeaderValue = "images.example.com",
            },
        ],
        Caching = [new CachingRule("default", 3600, new PathRule("all", "/*")), new CachingRule("images", 86_400, new PathRule("images", "/images/*"))],
        Restrictions =
        [
            new Restriction("r0", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer("www.partner.com")),
            new Restriction("r1", RestrictionAccess.Blacklist, RestrictionRule.ForReferrer("bad.example.org", "/private/*")),
            new Restriction("r2", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US", "/us/*")),
            new Restriction("r3", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("CN", "/eu/*")),
            new Restriction("r4", RestrictionAccess.Whitelist, RestrictionRule.ForClientIp("198.51.100.0/24", "/admin/*")),
            new Restriction("r5", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("203.0.113.0/24")),
        ],
        LogDelivery = new LogDelivery { Enabled = true },
    });

    [Fact]
    public void Check_EverythingSupported_NoProblems() =>
        Assert.Empty(CapabilityChecker.Check(Rich, CdnCapabilities.Everything, Provider));

    public static TheoryData<string, CdnCapabilities, string[]> MissingCapabilities => new()
    {
        { "max domains", CdnCapabilities.Everything with { MaxDomains = 0 }, ["/domains"] },
        { "certificates", CdnCapabilities.Everything with { Certificates = CertificateSupport.All & ~CertificateSupport.San }, ["/domains/0/certificate"] },
        { "max origins", CdnCapabilities.Everything with { MaxOrigins = 1 }, ["/origins"] },
        { "multiple origins", CdnCapabilities.Everything with { MultipleOrigins = false }, ["/origins"] },
        { "host headers", CdnCapabilities.Everything with { HostHeaders = HostHeaderSupport.Domain | HostHeaderSupport.Origin }, ["/origins/1/hostheadertype"] },
        { "origin ports", CdnCapabilities.Everything with { OriginPorts = new HashSet<int> { 80, 443 } }, ["/origins/1/port"] },
        { "ipv6 origins", CdnCapabilities.Everything with { Ipv6Origins = false }, ["/origins/1/origin"] },
        { "ip address origins", CdnCapabilities.Everything with { IpAddressOrigins = false }, ["/origins/1/origin"] },
        { "per-path caching", CdnCapabilities.Everything with { PerPathCaching = false }, ["/caching/1/rules/0/request_url"] },
        { "referrer whitelist", CdnCapabilities.Everything with { Restrictions = RestrictionSupport.All & ~RestrictionSupport.ReferrerWhitelist }, ["/restrictions/0/rules/0"] },
        { "referrer blacklist", CdnCapabilities.Everything with { Restrictions = RestrictionSupport.All & ~RestrictionSupport.ReferrerBlacklist }, ["/restrictions/1/rules/0"] },
        { "geography whitelist", CdnCapabilities.Everything with { Restrictions = RestrictionSupport.All & ~RestrictionSupport.GeographyWhitelist }, ["/restrictions/2/rules/0"] },
        { "geography blacklist", CdnCapabilities.Everything with { Restrictions = RestrictionSupport.All & ~RestrictionSupport.GeographyBlacklist }, ["/restrictions/3/rules/0"] },
        { "client ip whitelist", CdnCapabilities.Everything with { Restrictions = RestrictionSupport.All & ~RestrictionSupport.ClientIpWhitelist }, ["/restrictions/4/rules/0"] },
        { "client ip blacklist", CdnCapabilities.Everything with { Restrictions = RestrictionSupport.All & ~RestrictionSupport.ClientIpBlacklist }, ["/restrictions/5/rules/0"] },
        {
            "per-path restrictions", CdnCapabilities.Everything with { PerPathRestrictions = RestrictionSupport.None },
            ["/restrictions/1/rules/0/request_url", "/restrictions/2/rules/0/request_url", "/restrictions/3/rules/0/request_url", "/restrictions/4/rules/0/request_url"]
        },
        {
            "per-path geography only", CdnCapabilities.Everything with { PerPathRestrictions = RestrictionSupport.All & ~(RestrictionSupport.GeographyWhitelist | RestrictionSupport.GeographyBlacklist) },
            ["/restrictions/2/rules/0/request_url", "/restrictions/3/rules/0/request_url"]
        },
        { "max rules", CdnCapabilities.Everything with { MaxRules = 9 }, [""] },
        { "log delivery", CdnCapabilities.Everything with { LogDelivery = false }, ["/log_delivery/enabled"] },
    };

    [Theory]
    [MemberData(nameof(MissingCapabilities))]
    public void Check_CapabilityMissing_ReportsFieldPathsAndProvider(string capability, CdnCapabilities capabilities, string[] expectedPaths)
    {
        var problems = CapabilityChecker.Check(Rich, capabilities, Provider);

        Assert.True(expectedPaths.SequenceEqual(problems.Select(p => p.Path)), $"{capability}: got {string.Join(", ", problems)}");
        Assert.All(problems, p => Assert.Equal(Provider, p.Provider));
        Assert.All(problems, p => Assert.Contains(Provider, p.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Check_MaxRulesAtLimit_NoProblem() =>
        Assert.Empty(CapabilityChecker.Check(Rich, CdnCapabilities.Everything with { MaxRules = 10 }, Provider));

    [Fact]
    public void Check_NoCapabilities_ReportsEveryUnsupportedFeature()
    {
        var problems = CapabilityChecker.Check(Rich, new CdnCapabilities(), Provider);

        Assert.Contains(problems, p => p.Path == "/domains/0/certificate");
        Assert.Contains(problems, p => p.Path == "/origins/1/hostheadertype");
        Assert.Contains(problems, p => p.Path == "/log_delivery/enabled");
        Assert.Equal(6, problems.Count(p => p.Path.StartsWith("/restrictions/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Check_OriginPortsMessage_ListsSupportedPorts()
    {
        var problem = Assert.Single(CapabilityChecker.Check(Rich, CdnCapabilities.Everything with { OriginPorts = new HashSet<int> { 443, 80 } }, Provider));
        Assert.Contains("8443", problem.Message, StringComparison.Ordinal);
        Assert.Contains("80, 443", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BracketedIPv6Origin_RecognisedAsIPv6()
    {
        var spec = Specs.AssertValid(Specs.Minimal() with { Origins = [new OriginSpec("[2001:db8::1]")] });
        var problem = Assert.Single(CapabilityChecker.Check(spec, CdnCapabilities.Everything with { Ipv6Origins = false }, Provider));
        Assert.Equal("/origins/0/origin", problem.Path);
    }

    [Fact]
    public void Check_CatchAllOnlyCachingWithoutPerPathCaching_Accepted() =>
        Assert.Empty(CapabilityChecker.Check(Specs.AssertValid(Specs.Minimal()), CdnCapabilities.Everything with { PerPathCaching = false }, Provider));

    [Theory]
    [InlineData(PurgeKind.Url, PurgeSupport.Url)]
    [InlineData(PurgeKind.Prefix, PurgeSupport.Prefix)]
    [InlineData(PurgeKind.Tag, PurgeSupport.Tag)]
    [InlineData(PurgeKind.Host, PurgeSupport.Host)]
    [InlineData(PurgeKind.All, PurgeSupport.All)]
    public void CheckPurge_KindMissing_ReportsKindWithProvider(PurgeKind kind, PurgeSupport flag)
    {
        var request = new PurgeRequest { Kind = kind, Items = kind == PurgeKind.All ? [] : ["/x"] };
        var supported = CdnCapabilities.Everything with { Purge = CdnCapabilities.Everything.Purge & ~flag };

        Assert.Empty(CapabilityChecker.CheckPurge(request, CdnCapabilities.Everything, Provider));
        var problem = Assert.Single(CapabilityChecker.CheckPurge(request, supported, Provider));
        Assert.Equal("/kind", problem.Path);
        Assert.Equal(Provider, problem.Provider);
    }

    [Fact]
    public void CheckPurge_SoftWithoutSoftSupport_ReportsMode()
    {
        var supported = CdnCapabilities.Everything with { Purge = PurgeSupport.Url };

        var problem = Assert.Single(CapabilityChecker.CheckPurge(PurgeRequest.ForUrls("/a").AsSoft(), supported, Provider));

        Assert.Equal("/mode", problem.Path);
        Assert.Empty(CapabilityChecker.CheckPurge(PurgeRequest.ForUrls("/a"), supported, Provider));
    }

    [Theory]
    [InlineData("/*", true)]
    [InlineData("*", true)]
    [InlineData("/images/*", false)]
    [InlineData("/", false)]
    public void IsCatchAll_RequestUrl_RecognisesBothSpellings(string url, bool expected) =>
        Assert.Equal(expected, CapabilityChecker.IsCatchAll(url));
}
