using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;
using static Poppy.Sdk.Abstractions.Tests.Specs;

namespace Poppy.Sdk.Abstractions.Tests.Validation;

public class ServiceSpecValidatorTests
{
    // ------------------------------------------------------------ name and flavor

    [Theory]
    [InlineData(3)]
    [InlineData(256)]
    public void Validate_NameLengthAtEdge_Accepted(int length) =>
        AssertValid(Minimal() with { Name = new string('n', length) });

    [Theory]
    [InlineData(2)]
    [InlineData(257)]
    public void Validate_NameLengthOutsideRange_ReportsName(int length) =>
        AssertSingleProblem(Minimal() with { Name = new string('n', length) }, "/name", $"{length} characters", "3–256");

    [Fact]
    public void Validate_NameWithSpaces_IsTrimmedBeforeMeasuring()
    {
        AssertSingleProblem(Minimal() with { Name = "  ab  " }, "/name", "2 characters");
        Assert.Equal("abc", AssertValid(Minimal() with { Name = "  abc \t" }).Name);
    }

    [Fact]
    public void Validate_NameNull_ReportsMissing() =>
        AssertSingleProblem(Minimal() with { Name = null! }, "/name", "missing");

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    public void Validate_FlavorIdLengthAtEdge_Accepted(int length) =>
        AssertValid(Minimal() with { FlavorId = new string('f', length) });

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Validate_FlavorIdMissing_ReportsFlavorId(string? flavorId) =>
        AssertSingleProblem(Minimal() with { FlavorId = flavorId! }, "/flavor_id", "missing");

    [Fact]
    public void Validate_FlavorId257Characters_ReportsFlavorId() =>
        AssertSingleProblem(Minimal() with { FlavorId = new string('f', 257) }, "/flavor_id", "257 characters");

    // ------------------------------------------------------------ domains

    [Fact]
    public void Validate_TenDomains_Accepted() =>
        AssertValid(WithDomains([.. Enumerable.Range(0, 10).Select(i => $"d{i}.example.com")]));

    [Fact]
    public void Validate_ElevenDomains_ReportsDomains() =>
        AssertSingleProblem(WithDomains([.. Enumerable.Range(0, 11).Select(i => $"d{i}.example.com")]), "/domains", "11 domains", "at most 10");

    [Fact]
    public void Validate_NoDomains_ReportsDomains() =>
        AssertSingleProblem(WithDomains(), "/domains", "No domains");

    [Fact]
    public void Validate_DomainsNull_ReportsDomainsWithoutThrowing() =>
        AssertSingleProblem(Minimal() with { Domains = null! }, "/domains", "null");

    [Fact]
    public void Validate_NullDomainItem_ReportsItemPath() =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec("www.example.com"), null!] }, "/domains/1", "null");

    [Fact]
    public void Validate_DomainNameNull_ReportsMissing() =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec { Domain = null! }] }, "/domains/0/domain", "missing");

    [Theory]
    [InlineData("www.example.com")]
    [InlineData("a.b.example.com")]
    [InlineData("www.mywebsite.co.uk")]
    [InlineData("shop.example.com.au")]
    [InlineData("www.xn--bcher-kva.example")]
    [InlineData("cdn.example.xn--p1ai")]
    [InlineData("1-2.3.example.org")]
    [InlineData("a.b.io")]
    public void Validate_GoodDomain_Accepted(string domain) => AssertValid(WithDomains(domain));

    [Theory]
    [InlineData("abc.com", "apex")]
    [InlineData("mywebsite.co.uk", "'co.uk' is a public suffix")]
    [InlineData("shop.com.au", "'com.au'")]
    [InlineData("site.co.in", "'co.in'")]
    public void Validate_ApexDomain_ReportsApex(string domain, string fragment) =>
        AssertSingleProblem(WithDomains(domain), "/domains/0/domain", "apex", fragment, $"www.{domain}");

    [Theory]
    [InlineData("*.example.com", "wildcard")]
    [InlineData("www.example.com.", "trailing dot")]
    [InlineData("http://www.example.com", "scheme")]
    [InlineData("www.example.com/path", "path")]
    [InlineData("www.example.com:8080", "port")]
    [InlineData("www.exa mple.com", "spaces")]
    [InlineData("www.-example.com", "hyphen")]
    [InlineData("www.example-.com", "hyphen")]
    [InlineData("www..example.com", "empty label")]
    [InlineData(".www.example.com", "empty label")]
    [InlineData("www.example.c0m", "top-level label")]
    [InlineData("www.example.123", "top-level label")]
    [InlineData("www.example.c", "top-level label")]
    [InlineData("www_1.example.com", "'_'")]
    [InlineData("localhost", "single label")]
    public void Validate_MalformedDomain_ReportsWhy(string domain, string fragment) =>
        AssertSingleProblem(WithDomains(domain), "/domains/0/domain", "not a valid domain", fragment);

    [Fact]
    public void Validate_DomainLabelOf63_Accepted() =>
        AssertValid(WithDomains(new string('a', 63) + ".example.com"));

    [Fact]
    public void Validate_DomainLabelOf64_ReportsLabel() =>
        AssertSingleProblem(WithDomains(new string('a', 64) + ".example.com"), "/domains/0/domain", "64 characters", "at most 63");

    [Fact]
    public void Validate_DomainOf253Characters_Accepted()
    {
        var domain = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 57), "com");
        Assert.Equal(253, domain.Length);
        AssertValid(WithDomains(domain));
    }

    [Fact]
    public void Validate_DomainOf254Characters_ReportsLength()
    {
        var domain = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 58), "com");
        AssertSingleProblem(WithDomains(domain), "/domains/0/domain", "254 characters", "3–253");
    }

    [Fact]
    public void Validate_UpperCaseAndPaddedDomain_IsNormalised() =>
        Assert.Equal("www.example.com", AssertValid(WithDomains("  WWW.Example.COM ")).Domains[0].Domain);

    [Fact]
    public void Validate_InternationalisedDomain_StoredAsPunycode() =>
        Assert.Equal("xn--bcher-kva.example.com", AssertValid(WithDomains("bücher.example.com")).Domains[0].Domain);

    [Fact]
    public void Validate_InternationalisedApex_ReportsApex() =>
        AssertSingleProblem(WithDomains("bücher.de"), "/domains/0/domain", "'xn--bcher-kva.de'", "apex");

    [Fact]
    public void Validate_DuplicateDomainIgnoringCase_ReportsSecond() =>
        AssertSingleProblem(WithDomains("www.example.com", "cdn.example.com", "WWW.example.com"), "/domains/2/domain", "listed twice", "/domains/0/domain");

    [Fact]
    public void Validate_DuplicateDomainAfterPunycode_ReportsSecond() =>
        AssertSingleProblem(WithDomains("bücher.example.com", "xn--bcher-kva.example.com"), "/domains/1/domain", "listed twice");

    [Fact]
    public void Validate_HttpDomainWithCertificate_ReportsCertificate() =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Http, CertificateKind.San)] },
            "/domains/0/certificate", "http domain takes no certificate", "'san'");

    [Fact]
    public void Validate_HttpsDomainWithoutCertificate_ReportsCertificate() =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https)] },
            "/domains/0/certificate", "needs a certificate", "'shared', 'san', 'sni' or 'custom'");

    [Theory]
    [InlineData(CertificateKind.San)]
    [InlineData(CertificateKind.Sni)]
    [InlineData(CertificateKind.Custom)]
    public void Validate_HttpsDomainWithCertificate_Accepted(CertificateKind kind) =>
        AssertValid(Minimal() with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, kind)] });

    [Theory]
    [InlineData("mysite", "mysite")]
    [InlineData("My-Site2", "my-site2")]
    [InlineData("a", "a")]
    public void Validate_SharedDomainSingleLabel_AcceptedWithoutApexCheck(string label, string expected) =>
        Assert.Equal(expected, AssertValid(Minimal() with { Domains = [new DomainSpec(label, DomainProtocol.Https, CertificateKind.Shared)] }).Domains[0].Domain);

    [Fact]
    public void Validate_SharedDomainOf63Characters_Accepted() =>
        AssertValid(Minimal() with { Domains = [new DomainSpec(new string('s', 63), DomainProtocol.Https, CertificateKind.Shared)] });

    [Theory]
    [InlineData("www.mysite.com")]
    [InlineData("-mysite")]
    [InlineData("mysite-")]
    [InlineData("my_site")]
    public void Validate_SharedDomainNotASingleLabel_ReportsDomain(string label) =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec(label, DomainProtocol.Https, CertificateKind.Shared)] },
            "/domains/0/domain", "single label", "'mysite'");

    [Fact]
    public void Validate_SharedDomainOf64Characters_ReportsDomain() =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec(new string('s', 64), DomainProtocol.Https, CertificateKind.Shared)] },
            "/domains/0/domain", "at most 63");

    [Fact]
    public void Validate_SingleLabelWithoutSharedCertificate_HintsAtShared() =>
        AssertSingleProblem(WithDomains("mysite"), "/domains/0/domain", "single label", "'shared' certificate");

    [Fact]
    public void Validate_UnknownProtocolValue_ReportsProtocol() =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec("www.example.com", (DomainProtocol)7)] }, "/domains/0/protocol", "unknown");

    [Fact]
    public void Validate_DomainEqualToOriginHost_ReportsDomain() =>
        AssertSingleProblem(Minimal() with { Domains = [new DomainSpec("www.example.com")], Origins = [new OriginSpec("WWW.example.com")] },
            "/domains/0/domain", "also the host of /origins/0/origin");

    // ------------------------------------------------------------ origins

    [Fact]
    public void Validate_TenOrigins_Accepted() =>
        AssertValid(Minimal() with
        {
            Origins = [.. Enumerable.Range(0, 10).Select(i => new OriginSpec($"o{i}.example.net") { Rules = [new PathRule("r", $"/p{i}/*")] })],
        });

    [Fact]
    public void Validate_ElevenOrigins_ReportsOrigins() =>
        AssertSingleProblem(Minimal() with
        {
            Origins = [.. Enumerable.Range(0, 11).Select(i => new OriginSpec($"o{i}.example.net") { Rules = [new PathRule("r", $"/p{i}/*")] })],
        }, "/origins", "11 origins", "at most 10");

    [Fact]
    public void Validate_NoOrigins_ReportsOrigins() =>
        AssertSingleProblem(Minimal() with { Origins = [] }, "/origins", "No origins");

    [Fact]
    public void Validate_OriginsNull_ReportsOrigins() =>
        AssertSingleProblem(Minimal() with { Origins = null! }, "/origins", "null");

    [Fact]
    public void Validate_NullOriginItem_ReportsItemPath() =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net"), null!] }, "/origins/1", "null");

    [Theory]
    [InlineData(80)]
    [InlineData(443)]
    [InlineData(1024)]
    [InlineData(8080)]
    [InlineData(65535)]
    public void Validate_AllowedPort_Accepted(int port) =>
        AssertValid(Minimal() with { Origins = [new OriginSpec("origin.example.net", port)] });

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(79)]
    [InlineData(81)]
    [InlineData(442)]
    [InlineData(1023)]
    [InlineData(65536)]
    public void Validate_DisallowedPort_ReportsPort(int port) =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net", port)] }, "/origins/0/port", $"Port {port}", "80, 443", "1024 to 65535");

    [Theory]
    [InlineData("origin.example.net", "origin.example.net")]
    [InlineData("example.net", "example.net")]
    [InlineData(" Origin.Example.NET ", "origin.example.net")]
    [InlineData("origin.example.net/", "origin.example.net")]
    [InlineData("192.0.2.10", "192.0.2.10")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:DB8::1]", "[2001:db8::1]")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    public void Validate_GoodOrigin_AcceptedAndNormalised(string origin, string expected) =>
        Assert.Equal(expected, AssertValid(Minimal() with { Origins = [new OriginSpec(origin)] }).Origins[0].Origin);

    [Theory]
    [InlineData("http://origin.example.net", "scheme")]
    [InlineData("https://origin.example.net/", "scheme")]
    [InlineData("origin.example.net/images", "path")]
    [InlineData("origin.example.net:8080", "port")]
    [InlineData("[2001:db8::1]:8080", "port")]
    [InlineData("origin .example.net", "spaces")]
    [InlineData("orígin.example.net", "non-ASCII")]
    [InlineData("1.2.3", "IPv4")]
    [InlineData("348.2.3.2", "IPv4")]
    [InlineData("01.2.3.4", "IPv4")]
    [InlineData("1200::AB00:1234::2552:7777:1313", "IPv6")]
    [InlineData("fe80::1%eth0", "IPv6")]
    [InlineData("[2001:db8::1", "IPv6")]
    [InlineData("origin", "single label")]
    [InlineData("*.example.net", "wildcard")]
    public void Validate_MalformedOrigin_ReportsWhy(string origin, string fragment) =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec(origin)] }, "/origins/0/origin", "not a valid origin", fragment);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    public void Validate_OriginMissing_ReportsMissing(string? origin) =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec { Origin = origin! }] }, "/origins/0/origin", "missing");

    [Fact]
    public void Validate_DuplicateOriginSameScheme_ReportsSecond() =>
        AssertSingleProblem(Minimal() with
        {
            Origins = [new OriginSpec("origin.example.net"), new OriginSpec("ORIGIN.example.net", 8080) { Rules = [new PathRule("img", "/img/*")] }],
        }, "/origins/1/origin", "'http://origin.example.net'", "listed twice", "/origins/0");

    [Fact]
    public void Validate_SameHostDifferentSsl_Accepted() =>
        AssertValid(Minimal() with
        {
            Origins = [new OriginSpec("origin.example.net"), new OriginSpec("origin.example.net", 443, ssl: true) { Rules = [new PathRule("img", "/img/*")] }],
        });

    [Fact]
    public void Validate_FirstOriginWithoutRules_GetsDefaultRule()
    {
        var origin = Assert.Single(AssertValid(Minimal()).Origins);
        Assert.Equal([new PathRule("default", "/*")], origin.Rules);
    }

    [Fact]
    public void Validate_FirstOriginRulesNull_GetsDefaultRule() =>
        Assert.Equal([new PathRule("default", "/*")], AssertValid(Minimal() with { Origins = [new OriginSpec("origin.example.net") { Rules = null! }] }).Origins[0].Rules);

    [Fact]
    public void Validate_SecondOriginWithoutRules_ReportsRules() =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("a.example.net"), new OriginSpec("b.example.net")] },
            "/origins/1/rules", "no rules", "after the first");

    [Fact]
    public void Validate_SecondOriginCatchAllAfterDefault_ReportsCollision() =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("a.example.net"), new OriginSpec("b.example.net") { Rules = [new PathRule("all", "/*")] }] },
            "/origins/1/rules/0/request_url", "default rule '/*' of /origins/0");

    [Fact]
    public void Validate_StarAndSlashStarAcrossOrigins_Collide() =>
        AssertSingleProblem(Minimal() with
        {
            Origins =
            [
                new OriginSpec("a.example.net") { Rules = [new PathRule("all", "/*")] },
                new OriginSpec("b.example.net") { Rules = [new PathRule("also all", "*")] },
            ],
        }, "/origins/1/rules/0/request_url", "'*'", "leading '/' is implied", "/origins/0/rules/0/request_url");

    [Fact]
    public void Validate_DistinctPathsAcrossOrigins_AcceptedAsWritten()
    {
        var normalized = AssertValid(Minimal() with
        {
            Origins =
            [
                new OriginSpec("a.example.net") { Rules = [new PathRule("all", "/*")] },
                new OriginSpec("b.example.net") { Rules = [new PathRule("images", "images/*"), new PathRule("video", "/video/*")] },
            ],
        });
        Assert.Equal("images/*", normalized.Origins[1].Rules[0].RequestUrl);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Validate_OriginRuleNameLength_EnforcesRange(int length, bool valid)
    {
        var spec = Minimal() with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule(new string('r', length), "/*")] }] };
        if (valid)
        {
            AssertValid(spec);
        }
        else
        {
            AssertSingleProblem(spec, "/origins/0/rules/0/name", "257 characters", "at most 256");
        }
    }

    [Fact]
    public void Validate_OriginRuleWithoutName_ReportsName() =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule { Name = null!, RequestUrl = "/*" }] }] },
            "/origins/0/rules/0/name", "no name");

    [Theory]
    [InlineData(1, true)]
    [InlineData(1024, true)]
    [InlineData(1025, false)]
    public void Validate_OriginRuleRequestUrlLength_EnforcesRange(int length, bool valid)
    {
        var spec = Minimal() with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("r", "/" + new string('p', length - 1))] }] };
        if (valid)
        {
            AssertValid(spec);
        }
        else
        {
            AssertSingleProblem(spec, "/origins/0/rules/0/request_url", "1025 characters", "1–1024");
        }
    }

    [Theory]
    [InlineData("", "0 characters")]
    [InlineData(null, "missing")]
    [InlineData("/a b", "spaces")]
    [InlineData("/a\n}", "control")]
    public void Validate_BadOriginRuleRequestUrl_ReportsRequestUrl(string? url, string fragment) =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule { Name = "r", RequestUrl = url! }] }] },
            "/origins/0/rules/0/request_url", fragment);

    [Fact]
    public void Validate_NullOriginRule_ReportsRulePath() =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("r", "/*"), null!] }] },
            "/origins/0/rules/1", "null");

    // ------------------------------------------------------------ host header

    [Fact]
    public void Validate_HostHeaderDefault_IsDomainWithoutValue()
    {
        var origin = AssertValid(Minimal()).Origins[0];
        Assert.Equal(HostHeaderType.Domain, origin.HostHeaderType);
        Assert.Null(origin.HostHeaderValue);
    }

    [Fact]
    public void Validate_HostHeaderOrigin_SetsValueToOriginHost()
    {
        var origin = AssertValid(Minimal() with { Origins = [new OriginSpec("Origin.Example.net") { HostHeaderType = HostHeaderType.Origin }] }).Origins[0];
        Assert.Equal("origin.example.net", origin.HostHeaderValue);
    }

    [Fact]
    public void Validate_HostHeaderOriginWithSameValue_Accepted() =>
        AssertValid(Minimal() with { Origins = [new OriginSpec("origin.example.net") { HostHeaderType = HostHeaderType.Origin, HostHeaderValue = "ORIGIN.example.net" }] });

    [Fact]
    public void Validate_HostHeaderOriginWithOtherValue_AcceptedWithAWarningAndTheValueIgnored()
    {
        // OpenStack Poppy accepted this document and ignored the value; it loads here too, with a warning.
        var result = ServiceSpecValidator.Validate(Minimal() with { Origins = [new OriginSpec("origin.example.net") { HostHeaderType = HostHeaderType.Origin, HostHeaderValue = "other.example.net" }] });

        Assert.True(result.IsValid);
        Assert.Equal("origin.example.net", result.Normalized!.Origins[0].HostHeaderValue);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("/origins/0/hostheadervalue", warning.Path);
        Assert.Contains("Ignored", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'other.example.net'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'custom'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HostHeaderOriginWithOtherValueInAnInvalidSpec_StillReportsTheWarning()
    {
        var result = ServiceSpecValidator.Validate(Minimal() with { Name = "x", Origins = [new OriginSpec("origin.example.net") { HostHeaderType = HostHeaderType.Origin, HostHeaderValue = "other.example.net" }] });

        Assert.False(result.IsValid);
        Assert.Equal(["/name"], result.Problems.Select(p => p.Path));
        Assert.Equal(["/origins/0/hostheadervalue"], result.Warnings.Select(w => w.Path));
    }

    [Fact]
    public void Validate_ValidSpecWithoutQuirks_HasNoWarnings() => Assert.Empty(ServiceSpecValidator.Validate(Minimal()).Warnings);

    [Fact]
    public void Validate_HostHeaderCustom_NormalisesValue() =>
        Assert.Equal("www.customweb.com", AssertValid(Minimal() with
        {
            Origins = [new OriginSpec("origin.example.net") { HostHeaderType = HostHeaderType.Custom, HostHeaderValue = " WWW.CustomWeb.com " }],
        }).Origins[0].HostHeaderValue);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_HostHeaderCustomWithoutValue_ReportsValue(string? value) =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net") { HostHeaderType = HostHeaderType.Custom, HostHeaderValue = value }] },
            "/origins/0/hostheadervalue", "needs a hostheadervalue");

    [Theory]
    [InlineData("123")]
    [InlineData("www. domain.com")]
    [InlineData("http://www.example.com")]
    public void Validate_HostHeaderCustomInvalid_ReportsValue(string value) =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net") { HostHeaderType = HostHeaderType.Custom, HostHeaderValue = value }] },
            "/origins/0/hostheadervalue", "not a valid host header");

    [Fact]
    public void Validate_HostHeaderValueWithDomainType_ReportsValue() =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net") { HostHeaderValue = "www.example.com" }] },
            "/origins/0/hostheadervalue", "not used with hostheadertype 'domain'");

    [Fact]
    public void Validate_UnknownHostHeaderType_ReportsType() =>
        AssertSingleProblem(Minimal() with { Origins = [new OriginSpec("origin.example.net") { HostHeaderType = (HostHeaderType)9 }] },
            "/origins/0/hostheadertype", "unknown");

    // ------------------------------------------------------------ caching

    [Fact]
    public void Validate_CachingAbsentOnCreate_AddsDefaultEntry()
    {
        var caching = AssertValid(Minimal()).Caching;
        Assert.NotNull(caching);
        Assert.Equal([new CachingRule("default", 86_400, new PathRule("default", "/*"))], caching);
    }

    [Fact]
    public void Validate_CachingAbsentOnUpdate_StaysAbsent() =>
        Assert.Null(AssertValid(Minimal(), ValidationMode.Update).Caching);

    [Fact]
    public void Validate_CachingEmptyOnCreate_StaysEmpty() =>
        Assert.Empty(AssertValid(Minimal() with { Caching = [] })!.Caching!);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31_536_000)]
    public void Validate_TtlInRange_Accepted(int ttl) =>
        AssertValid(Minimal() with { Caching = [new CachingRule("c", ttl)] });

    [Theory]
    [InlineData(-1)]
    [InlineData(31_536_001)]
    [InlineData(int.MinValue)]
    public void Validate_TtlOutOfRange_ReportsTtl(int ttl) =>
        AssertSingleProblem(Minimal() with { Caching = [new CachingRule("c", ttl)] }, "/caching/0/ttl", "0 (do not cache) to 31,536,000");

    [Theory]
    [InlineData(1, true)]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Validate_CachingNameLength_EnforcesRange(int length, bool valid)
    {
        var spec = Minimal() with { Caching = [new CachingRule(new string('c', length), 60)] };
        if (valid)
        {
            AssertValid(spec);
        }
        else
        {
            AssertSingleProblem(spec, "/caching/0/name", "257 characters");
        }
    }

    [Fact]
    public void Validate_CachingNameEmpty_ReportsName() =>
        AssertSingleProblem(Minimal() with { Caching = [new CachingRule("", 60)] }, "/caching/0/name", "no name");

    [Fact]
    public void Validate_CachingEntryWithoutRules_GetsCatchAll() =>
        Assert.Equal([new PathRule("default", "/*")], AssertValid(Minimal() with { Caching = [new CachingRule("c", 60)] }).Caching![0].Rules);

    [Fact]
    public void Validate_TwoCachingEntriesWithoutRules_ReportsCollision() =>
        AssertSingleProblem(Minimal() with { Caching = [new CachingRule("a", 60), new CachingRule("b", 120)] },
            "/caching/1/rules", "'/*'", "/caching/0");

    [Fact]
    public void Validate_StarAndSlashStarAcrossCachingEntries_Collide() =>
        AssertSingleProblem(Minimal() with
        {
            Caching = [new CachingRule("a", 60, new PathRule("all", "/*")), new CachingRule("b", 120, new PathRule("png", "*.png"), new PathRule("all", "*"))],
        }, "/caching/1/rules/1/request_url", "leading '/' is implied", "/caching/0/rules/0/request_url");

    [Fact]
    public void Validate_SamePathInOriginAndCachingRules_Accepted() =>
        AssertValid(Minimal() with { Caching = [new CachingRule("a", 60, new PathRule("all", "/*"))] });

    [Fact]
    public void Validate_NullCachingEntry_ReportsItemPath() =>
        AssertSingleProblem(Minimal() with { Caching = [new CachingRule("a", 60), null!] }, "/caching/1", "null");

    // ------------------------------------------------------------ restrictions

    [Fact]
    public void Validate_RestrictionsNull_TreatedAsNone() =>
        Assert.Empty(AssertValid(Minimal() with { Restrictions = null! }).Restrictions);

    [Fact]
    public void Validate_RestrictionDefaults_WhitelistAndCatchAllPath()
    {
        var restriction = Assert.Single(AssertValid(WithRestrictions(new Restriction { Name = "r", Rules = [new RestrictionRule { Geography = "US" }] })).Restrictions);
        Assert.Equal(RestrictionAccess.Whitelist, restriction.Access);
        Assert.Equal("/*", restriction.Rules[0].RequestUrl);
    }

    [Fact]
    public void Validate_RestrictionWithoutRules_ReportsRules() =>
        AssertSingleProblem(WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist)), "/restrictions/0/rules", "at least one");

    [Fact]
    public void Validate_RestrictionRulesNull_ReportsRules() =>
        AssertSingleProblem(WithRestrictions(new Restriction { Name = "r", Rules = null! }), "/restrictions/0/rules", "no rules");

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Validate_RestrictionNameLength_EnforcesRange(int length, bool valid)
    {
        var spec = WithRestrictions(new Restriction(new string('r', length), RestrictionAccess.Blacklist, RestrictionRule.ForGeography("US")));
        if (valid)
        {
            AssertValid(spec);
        }
        else
        {
            AssertSingleProblem(spec, "/restrictions/0/name");
        }
    }

    [Theory]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Validate_RestrictionRuleNameLength_EnforcesMaximum(int length, bool valid)
    {
        var spec = WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US", name: new string('n', length))));
        if (valid)
        {
            AssertValid(spec);
        }
        else
        {
            AssertSingleProblem(spec, "/restrictions/0/rules/0/name", "257 characters");
        }
    }

    [Fact]
    public void Validate_RestrictionRuleWithoutEntity_ReportsRule() =>
        AssertSingleProblem(WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist, new RestrictionRule { Name = "empty" })),
            "/restrictions/0/rules/0", "none of referrer, geography or client_ip");

    [Fact]
    public void Validate_RestrictionRuleWithTwoEntities_ReportsRule() =>
        AssertSingleProblem(WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist, new RestrictionRule { Referrer = "www.example.com", Geography = "US" })),
            "/restrictions/0/rules/0", "referrer and geography", "exactly one");

    [Fact]
    public void Validate_NullRestrictionRule_ReportsRulePath() =>
        AssertSingleProblem(WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US"), null!)),
            "/restrictions/0/rules/1", "null");

    [Fact]
    public void Validate_NullRestriction_ReportsItemPath() =>
        AssertSingleProblem(Minimal() with { Restrictions = [null!] }, "/restrictions/0", "null");

    [Theory]
    [InlineData("www.example.com", "www.example.com")]
    [InlineData("Partner.Example.org", "partner.example.org")]
    [InlineData("bücher.example.com", "xn--bcher-kva.example.com")]
    public void Validate_GoodReferrer_AcceptedAndNormalised(string referrer, string expected) =>
        Assert.Equal(expected, AssertValid(WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer(referrer)))).Restrictions[0].Rules[0].Referrer);

    [Theory]
    [InlineData("http://www.example.com", "scheme")]
    [InlineData("www.-x.com", "hyphen")]
    [InlineData("*.example.com", "wildcard")]
    [InlineData("", "empty")]
    public void Validate_BadReferrer_ReportsReferrer(string referrer, string fragment) =>
        AssertSingleProblem(WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer(referrer))),
            "/restrictions/0/rules/0/referrer", "not a valid referrer", fragment);

    [Theory]
    [InlineData("US")]
    [InlineData("us")]
    [InlineData("GB")]
    [InlineData("USA")]
    [InlineData("United Kingdom")]
    [InlineData("united kingdom")]
    [InlineData("North America")]
    [InlineData("South America")]
    [InlineData("EMEA(Europe, Middle East and Africa)")]
    [InlineData("Japan")]
    [InlineData("India")]
    [InlineData("Australia/NZ")]
    [InlineData("Rest Of APAC")]
    [InlineData("Jordan")]
    [InlineData("Kenya")]
    [InlineData("Senegal")]
    [InlineData("Seychelles")]
    public void Validate_KnownGeography_AcceptedAsWritten(string geography) =>
        Assert.Equal(geography, AssertValid(WithRestrictions(new Restriction("geo", RestrictionAccess.Whitelist, RestrictionRule.ForGeography(geography)))).Restrictions[0].Rules[0].Geography);

    [Theory]
    [InlineData("XX")]
    [InlineData("Narnia")]
    [InlineData("Jordan, Kenya")]
    [InlineData("")]
    [InlineData("U S")]
    public void Validate_UnknownGeography_ReportsGeographyWithExamples(string geography) =>
        AssertSingleProblem(WithRestrictions(new Restriction("geo", RestrictionAccess.Whitelist, RestrictionRule.ForGeography(geography))),
            "/restrictions/0/rules/0/geography", "not a known geography", "'US'", "'United Kingdom'", "'North America'");

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("0.0.0.0/0")]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.0.2.1/32")]
    [InlineData("203.0.113.7/24")]
    [InlineData("::/0")]
    [InlineData("2001:db8::/32")]
    [InlineData("2001:db8::1/128")]
    [InlineData("::1")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData(" 1.2.3.4 ")]
    public void Validate_GoodClientIp_Accepted(string clientIp) =>
        AssertValid(WithRestrictions(new Restriction("ip", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp(clientIp))));

    [Theory]
    [InlineData("1.2.3", "IPv4")]
    [InlineData("348.2.3.2", "IPv4")]
    [InlineData("1.2.3.4.5", "IPv4")]
    [InlineData("1.2.3.4/33", "/0 to /32")]
    [InlineData("1.2.3.4/-3", "/0 to /32")]
    [InlineData("1.2.3.4/", "/0 to /32")]
    [InlineData("1.2.3.4/24/8", "/0 to /32")]
    [InlineData("2001:db8::/129", "/0 to /128")]
    [InlineData(":", "IPv6")]
    [InlineData("1200::AB00:1234::2552:7777:1313", "IPv6")]
    [InlineData("[2001:db8::1]", "IPv6")]
    [InlineData("fe80::1%eth0", "IPv6")]
    [InlineData("::ffff:1.2.3", "IPv6")]
    [InlineData("example.com", "IPv4")]
    [InlineData("", "empty")]
    public void Validate_BadClientIp_ReportsClientIp(string clientIp, string fragment) =>
        AssertSingleProblem(WithRestrictions(new Restriction("ip", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp(clientIp))),
            "/restrictions/0/rules/0/client_ip", "not a valid client_ip", fragment);

    [Theory]
    [InlineData(1, true)]
    [InlineData(1024, true)]
    [InlineData(1025, false)]
    [InlineData(0, false)]
    public void Validate_RestrictionRequestUrlLength_EnforcesRange(int length, bool valid)
    {
        var url = length == 0 ? "" : "/" + new string('p', length - 1);
        var spec = WithRestrictions(new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US", url)));
        if (valid)
        {
            AssertValid(spec);
        }
        else
        {
            AssertSingleProblem(spec, "/restrictions/0/rules/0/request_url", "1–1024");
        }
    }

    [Fact]
    public void Validate_WhitelistAndBlacklistSameKindSamePath_ReportsConflict() =>
        AssertSingleProblem(WithRestrictions(
                new Restriction("allow", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US")),
                new Restriction("deny", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("CA", "*"))),
            "/restrictions/1/rules/0", "geography blacklist on '/*'", "geography whitelist at /restrictions/0/rules/0", "cannot both allow and deny");

    [Fact]
    public void Validate_ConflictWithDefaultedRequestUrl_ReportsConflict() =>
        AssertSingleProblem(WithRestrictions(
                new Restriction("deny", RestrictionAccess.Blacklist, RestrictionRule.ForReferrer("bad.example.com")),
                new Restriction("allow", RestrictionAccess.Whitelist, new RestrictionRule { Referrer = "good.example.com" })),
            "/restrictions/1/rules/0", "referrer whitelist", "referrer blacklist at /restrictions/0/rules/0");

    [Fact]
    public void Validate_WhitelistAndBlacklistDifferentKinds_Accepted() =>
        AssertValid(WithRestrictions(
            new Restriction("allow", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US")),
            new Restriction("deny", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("203.0.113.0/24"))));

    [Fact]
    public void Validate_WhitelistAndBlacklistDifferentPaths_Accepted() =>
        AssertValid(WithRestrictions(
            new Restriction("allow", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US", "/us/*")),
            new Restriction("deny", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("CA", "/*"))));

    [Fact]
    public void Validate_TwoWhitelistsSamePath_Accepted() =>
        AssertValid(WithRestrictions(
            new Restriction("a", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("US")),
            new Restriction("b", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("North America"))));

    [Fact]
    public void Validate_UnknownAccess_ReportsAccess() =>
        AssertSingleProblem(WithRestrictions(new Restriction("r", (RestrictionAccess)5, RestrictionRule.ForGeography("US"))), "/restrictions/0/access", "unknown");

    // ------------------------------------------------------------ log delivery, mode

    [Fact]
    public void Validate_LogDeliveryNull_ReportsObjectNeeded() =>
        AssertSingleProblem(Minimal() with { LogDelivery = null! }, "/log_delivery", "object");

    [Fact]
    public void Validate_LogDeliveryAbsent_DefaultsToDisabled() =>
        Assert.False(AssertValid(Minimal()).LogDelivery.Enabled);

    [Fact]
    public void Validate_UndefinedMode_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ServiceSpecValidator.Validate(Minimal(), (ValidationMode)3));

    [Fact]
    public void Validate_NullSpec_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ServiceSpecValidator.Validate(null!));

    // ------------------------------------------------------------ all at once

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneWithItsPath()
    {
        var result = ServiceSpecValidator.Validate(Load("many-problems.json"));

        Assert.False(result.IsValid);
        Assert.Null(result.Normalized);
        Assert.Equal(
            [
                "/name",
                "/flavor_id",
                "/domains/0/domain",
                "/domains/1/certificate",
                "/domains/2",
                "/origins/0/origin",
                "/origins/0/port",
                "/origins/1/rules",
                "/caching/0/ttl",
                "/restrictions/0/rules/0/geography",
                "/restrictions/1/rules/0/client_ip",
            ],
            result.Problems.Select(p => p.Path));
        Assert.All(result.Problems, p => Assert.Null(p.Provider));
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Fact]
    public void GetNormalizedOrThrow_InvalidSpec_ThrowsEveryProblem()
    {
        var result = ServiceSpecValidator.Validate(Load("many-problems.json"));

        var exception = Assert.Throws<CdnValidationException>(result.GetNormalizedOrThrow);

        Assert.Equal(result.Problems, exception.Problems);
    }

    [Fact]
    public void Validate_ValidSpec_LeavesInputUnchanged()
    {
        var spec = WithDomains(" WWW.Example.com ");
        var copy = spec with { };

        AssertValid(spec);

        Assert.Equal(copy, spec);
        Assert.Equal(" WWW.Example.com ", spec.Domains[0].Domain);
    }

    [Fact]
    public void Validate_NormalisedSpec_IsValidAndUnchangedWhenValidatedAgain()
    {
        var once = AssertValid(Load("https-two-origins.json"));

        var twice = AssertValid(once);

        Assert.Equal(once, twice);
    }

    [Fact]
    public void Validate_MessageQuotesLongInputShortened()
    {
        var problem = AssertSingleProblem(WithDomains(new string('x', 300) + ".example.com"), "/domains/0/domain");

        Assert.True(problem.Message.Length < 400, problem.Message);
        Assert.Contains("…", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MessageEscapesControlCharacters()
    {
        var problem = AssertSingleProblem(WithDomains("www.exa\nmple.com"), "/domains/0/domain");

        Assert.DoesNotContain('\n', problem.Message);
        Assert.Contains("\\n", problem.Message, StringComparison.Ordinal);
    }
}
