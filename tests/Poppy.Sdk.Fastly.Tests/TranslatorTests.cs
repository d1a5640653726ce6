using Poppy.Sdk.Fastly.Internal;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Fastly.Tests;

public class TranslatorTests
{
    private static FastlyTranslator Translator(Action<FastlyCdnProviderOptions>? configure = null, Func<string, IReadOnlyList<string>?>? geo = null)
    {
        var options = new FastlyCdnProviderOptions { ApiToken = "t" };
        configure?.Invoke(options);
        return new FastlyTranslator(options, geo);
    }

    private static ServiceSpec Spec(params OriginSpec[] origins) => new()
    {
        Name = "spec",
        FlavorId = "cdn",
        Domains = [new DomainSpec("www.example.com")],
        Origins = origins.Length == 0 ? [new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")] }] : origins,
        Caching = [],
    };

    // ------------------------------------------------------------------ domains

    [Fact]
    public void ToFastly_HttpDomain_IsAttachedAsIsWithTheNonTlsCnameTarget()
    {
        var t = Translator();
        var domain = new DomainSpec("www.example.com");

        Assert.Equal([new DomainObject("www.example.com")], t.ToFastly(Spec()).Domains);
        Assert.Equal(new AccessUrl("www.example.com", "dualstack.nonssl.global.fastly.net"), t.AccessUrlOf(domain));
    }

    [Fact]
    public void AccessUrlOf_TemplateWithDomainToken_IsExpanded()
    {
        var t = Translator(o => o.AccessUrlTarget = "{domain}.global.prod.fastly.net");

        Assert.Equal("www.example.com.global.prod.fastly.net", t.AccessUrlOf(new DomainSpec("www.example.com")).ProviderUrl);
    }

    [Fact]
    public void ToFastly_SharedHttpsDomain_BecomesAHostUnderTheSharedCertificate()
    {
        var t = Translator(o => o.SharedCertificateDomain = "freetls.fastly.net");
        var spec = Spec() with { Domains = [new DomainSpec("mysite", DomainProtocol.Https, CertificateKind.Shared)] };

        Assert.Equal([new DomainObject("mysite.freetls.fastly.net")], t.ToFastly(spec).Domains);
        Assert.Equal(new AccessUrl("mysite", "mysite.freetls.fastly.net"), t.AccessUrlOf(spec.Domains[0]));
        var details = t.Details("fastly", "s", "v", spec.Domains, ProviderStatus.Deployed);
        Assert.Equal(CertificateStatus.Deployed, details.CertificateStatuses["mysite"]);
    }

    // ------------------------------------------------------------------ origins

    [Theory]
    [InlineData(HostHeaderType.Domain, null, null)]
    [InlineData(HostHeaderType.Origin, "origin.example.net", "origin.example.net")]
    [InlineData(HostHeaderType.Custom, "vhost.example.com", "vhost.example.com")]
    public void ToFastly_HostHeaderMode_SetsOverrideHost(HostHeaderType type, string? value, string? expected)
    {
        var origin = new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")], HostHeaderType = type, HostHeaderValue = value };

        var backend = Assert.Single(Translator().ToFastly(Spec(origin)).Backends);

        Assert.Equal(expected, backend.OverrideHost);
    }

    [Fact]
    public void ToFastly_TlsOrigin_ChecksAndSendsItsHostName()
    {
        var origin = new OriginSpec("origin.example.net", 8443, ssl: true) { Rules = [new PathRule("default", "/*")] };

        var backend = Assert.Single(Translator().ToFastly(Spec(origin)).Backends);

        Assert.Equal(new BackendObject("poppy-origin-0", "origin.example.net", 8443, true, "origin.example.net", "origin.example.net", null, null), backend);
    }

    [Fact]
    public void ToFastly_TlsIpOriginWithCustomHost_UsesTheCustomHostForSniAndCertificate()
    {
        var origin = new OriginSpec("192.0.2.10", 443, ssl: true) { Rules = [new PathRule("default", "/*")], HostHeaderType = HostHeaderType.Custom, HostHeaderValue = "app.example.com" };

        var backend = Assert.Single(Translator().ToFastly(Spec(origin)).Backends);

        Assert.Equal("app.example.com", backend.SslCertHostname);
        Assert.Equal("app.example.com", backend.SslSniHostname);
    }

    [Fact]
    public void ToFastly_PlainIpv6Origin_AddressWithoutBracketsAndNoTlsNames()
    {
        var origin = new OriginSpec("[2001:db8::10]", 80) { Rules = [new PathRule("default", "/*")] };

        var backend = Assert.Single(Translator().ToFastly(Spec(origin)).Backends);

        Assert.Equal("2001:db8::10", backend.Address);
        Assert.False(backend.UseSsl);
        Assert.Null(backend.SslCertHostname);
    }

    [Fact]
    public void ToFastly_SecondOrigin_GetsARouteConditionOverAllItsPaths()
    {
        var spec = Spec(
            new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")] },
            new OriginSpec("static.example.net") { Rules = [new PathRule("css", "/css/*"), new PathRule("favicon", "/favicon.ico")] });

        var config = Translator().ToFastly(spec);

        Assert.Null(config.Backends[0].RequestCondition);
        Assert.Equal("poppy-origin-1-route", config.Backends[1].RequestCondition);
        Assert.Equal(
            new ConditionObject("poppy-origin-1-route", "REQUEST", "req.url.path ~ \"^/css/.*\" || req.url.path ~ \"^/favicon\\.ico\\z\"", 10 + 12),
            Assert.Single(config.Conditions));
    }

    // ------------------------------------------------------------------ caching

    [Fact]
    public void ToFastly_CatchAllCaching_SetsTheDefaultTtlOnly()
    {
        var config = Translator().ToFastly(Spec() with { Caching = [new CachingRule("default", 3600, new PathRule("default", "/*"))] });

        Assert.Equal(3600, config.DefaultTtl);
        Assert.Empty(config.CacheSettings);
        Assert.Empty(config.Conditions);
    }

    [Fact]
    public void ToFastly_NoCaching_LeavesFastlysDefaultTtl()
    {
        Assert.Null(Translator().ToFastly(Spec() with { Caching = null }).DefaultTtl);
    }

    [Fact]
    public void ToFastly_CachingRuleWithoutRules_MeansCatchAll()
    {
        Assert.Equal(120, Translator().ToFastly(Spec() with { Caching = [new CachingRule("all", 120)] }).DefaultTtl);
    }

    [Fact]
    public void ToFastly_PerPathCaching_CacheConditionAndSettingsWithTtl()
    {
        var config = Translator().ToFastly(Spec() with { Caching = [new CachingRule("images", 86400, new PathRule("img", "/img/*"), new PathRule("pics", "/pics/*"))] });

        Assert.Equal(new ConditionObject("poppy-cache-0", "CACHE", "req.url.path ~ \"^/img/.*\" || req.url.path ~ \"^/pics/.*\"", 1000 - 6), Assert.Single(config.Conditions));
        Assert.Equal(new CacheSettingObject("poppy-cache-0", 86400, "cache", "poppy-cache-0"), Assert.Single(config.CacheSettings));
    }

    [Fact]
    public void ToFastly_TtlZero_PassesInsteadOfCaching()
    {
        var config = Translator().ToFastly(Spec() with { Caching = [new CachingRule("api", 0, new PathRule("api", "/api/*"))] });

        Assert.Equal("pass", Assert.Single(config.CacheSettings).Action);
    }

    [Fact]
    public void ToFastly_MoreSpecificCachePath_RunsFirst()
    {
        var config = Translator().ToFastly(Spec() with
        {
            Caching = [new CachingRule("images", 600, new PathRule("i", "/images/*")), new CachingRule("icons", 60, new PathRule("c", "/images/icons/*"))],
        });

        Assert.True(config.Conditions[1].Priority < config.Conditions[0].Priority);
    }

    // ------------------------------------------------------------------ restrictions

    public static readonly TheoryData<RestrictionRule, RestrictionAccess, string> RestrictionCases = new()
    {
        { RestrictionRule.ForReferrer("www.example.org"), RestrictionAccess.Whitelist, "(!(req.http.Referer ~ \"(?i)^https?://(www\\.example\\.org)(:[0-9]+)?(/|\\z)\"))" },
        { RestrictionRule.ForReferrer("www.example.org"), RestrictionAccess.Blacklist, "(req.http.Referer ~ \"(?i)^https?://(www\\.example\\.org)(:[0-9]+)?(/|\\z)\")" },
        { RestrictionRule.ForGeography("DE"), RestrictionAccess.Whitelist, "(!(client.geo.country_code ~ \"^(DE)\\z\"))" },
        { RestrictionRule.ForGeography("DE"), RestrictionAccess.Blacklist, "(client.geo.country_code ~ \"^(DE)\\z\")" },
        { RestrictionRule.ForClientIp("192.0.2.0/24"), RestrictionAccess.Whitelist, "(!(client.ip ~ poppy_acl_0))" },
        { RestrictionRule.ForClientIp("192.0.2.0/24"), RestrictionAccess.Blacklist, "(client.ip ~ poppy_acl_0)" },
    };

    [Theory]
    [MemberData(nameof(RestrictionCases))]
    public void ToFastly_EachRestrictionKindAndAccess_DeniesTheRightRequests(RestrictionRule rule, RestrictionAccess access, string statement)
    {
        var config = Translator().ToFastly(Spec() with { Restrictions = [new Restriction("r", access, rule)] });

        Assert.Equal(new ConditionObject("poppy-restrictions", "REQUEST", statement, 10), config.Conditions.Single(c => c.Name == "poppy-restrictions"));
        Assert.Equal(new ResponseObject("poppy-forbidden", 403, "Forbidden", "Forbidden", "text/plain", "poppy-restrictions"), Assert.Single(config.ResponseObjects));
        Assert.Equal(rule.ClientIp is null ? 0 : 1, config.Acls.Count);
    }

    [Fact]
    public void ToFastly_RestrictionOnAPath_IsScopedToThatPath()
    {
        var config = Translator().ToFastly(Spec() with
        {
            Restrictions = [new Restriction("admin", RestrictionAccess.Whitelist, RestrictionRule.ForClientIp("192.0.2.1", "/admin/*"))],
        });

        Assert.Equal("(req.url.path ~ \"^/admin/.*\" && !(client.ip ~ poppy_acl_0))", config.Conditions.Single().Statement);
        Assert.Equal(new AclObject("poppy_acl_0", [new AclEntryObject("192.0.2.1", null, false)]), Assert.Single(config.Acls));
    }

    [Fact]
    public void ToFastly_WhitelistsOfOneKindAcrossRestrictions_AreUnited()
    {
        var config = Translator().ToFastly(Spec() with
        {
            Restrictions =
            [
                new Restriction("eu", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("DE"), RestrictionRule.ForGeography("FR")),
                new Restriction("uk", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("GB"), RestrictionRule.ForGeography("DE")),
            ],
        });

        Assert.Equal("(!(client.geo.country_code ~ \"^(DE|FR|GB)\\z\"))", config.Conditions.Single().Statement);
    }

    [Fact]
    public void ToFastly_GeographyName_ExpandsToCountryCodes()
    {
        var t = Translator(geo: g => g == "Australia/NZ" ? ["AU", "NZ"] : null);

        var config = t.ToFastly(Spec() with { Restrictions = [new Restriction("anz", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("Australia/NZ"))] });

        Assert.Equal("(client.geo.country_code ~ \"^(AU|NZ)\\z\")", config.Conditions.Single().Statement);
    }

    [Fact]
    public void ToFastly_GeographyNameFromTheRealCatalog_Expands()
    {
        var config = Translator().ToFastly(Spec() with { Restrictions = [new Restriction("na", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("North America"))] });

        Assert.Contains("US", config.Conditions.Single().Statement, StringComparison.Ordinal);
        Assert.Contains("CA", config.Conditions.Single().Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void ToFastly_Ipv6Networks_AreCanonicalAclEntries()
    {
        var config = Translator().ToFastly(Spec() with
        {
            Restrictions = [new Restriction("v6", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("2001:0DB8:0000::/48"), RestrictionRule.ForClientIp("2001:db8::/48"))],
        });

        Assert.Equal([new AclEntryObject("2001:db8::", 48, false)], Assert.Single(config.Acls).Entries);
    }

    [Fact]
    public void ToFastly_NoRestrictions_NoConditionResponseOrAcl()
    {
        var config = Translator().ToFastly(Spec());

        Assert.Empty(config.ResponseObjects);
        Assert.Empty(config.Acls);
        Assert.DoesNotContain(config.Conditions, c => c.Name == "poppy-restrictions");
    }

    [Fact]
    public void ToFastly_ForbiddenContent_IsConfigurable()
    {
        var config = Translator(o => o.ForbiddenResponseContent = "Not here").ToFastly(Spec() with
        {
            Restrictions = [new Restriction("r", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("DE"))],
        });

        Assert.Equal("Not here", config.ResponseObjects.Single().Content);
    }

    // ------------------------------------------------------------------ stamps, manifest, read-back

    [Theory]
    [InlineData("poppy:service_id=abc", "abc")]
    [InlineData("poppy:service_id=abc\nmore text", "abc")]
    [InlineData("poppy:service_id=", null)]
    [InlineData("my service", null)]
    [InlineData(null, null)]
    public void ReadStamp_Comment_YieldsTheServiceId(string? comment, string? expected)
    {
        Assert.Equal(expected, Poppy.Sdk.Internal.ServiceStamp.Parse(comment));
    }

    [Fact]
    public void Manifest_RoundTripsTheSpec()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich());

        var manifest = Poppy.Sdk.Internal.SpecManifest.ToComment(spec);

        Assert.StartsWith("poppy:manifest:v2 ", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', manifest);
        Assert.Equal(spec, Poppy.Sdk.Internal.SpecManifest.FromComment(manifest));
        Assert.Equal(spec, Poppy.Sdk.Internal.SpecManifest.FromComment("poppy:manifest:v1 " + Poppy.Sdk.Serialization.PoppyJson.Serialize(spec)));
        Assert.Null(Poppy.Sdk.Internal.SpecManifest.FromComment("poppy:manifest:v2 AAAA"));
        Assert.Null(Poppy.Sdk.Internal.SpecManifest.FromComment("poppy:manifest:v1 {broken"));
        Assert.Null(Poppy.Sdk.Internal.SpecManifest.FromComment("edited by hand"));
    }

    [Fact]
    public void FromFastly_OwnOutput_GivesBackTheSpec()
    {
        var t = Translator();
        var spec = TestSpecs.Normalize(TestSpecs.Rich());

        var (read, drift) = t.FromFastly(t.ToFastly(spec), "ignored");

        Assert.Equal(spec, read);
        Assert.Empty(drift);
    }

    [Fact]
    public void FromFastly_WithoutManifest_ReconstructsFromTheObjects()
    {
        var t = Translator();
        var config = t.ToFastly(TestSpecs.Normalize(TestSpecs.Rich())) with { VersionComment = null };

        var (read, drift) = t.FromFastly(config, "poppy-svc-1");

        Assert.Equal("poppy-svc-1", read.Name);
        Assert.Equal(["www.example.com", "mysite"], read.Domains.Select(d => d.Domain));
        Assert.Equal(DomainProtocol.Https, read.Domains[1].Protocol);
        Assert.Equal(["origin.example.net", "images.example.net"], read.Origins.Select(o => o.Origin));
        Assert.Equal(HostHeaderType.Origin, read.Origins[0].HostHeaderType);
        Assert.Equal(HostHeaderType.Custom, read.Origins[1].HostHeaderType);
        Assert.Equal("/images/*", Assert.Single(read.Origins[1].Rules).RequestUrl);
        Assert.Equal([3600, 86400, 0], read.Caching!.Select(c => c.Ttl));
        Assert.Equal("/api/*", read.Caching![2].Rules.Single().RequestUrl);
        Assert.Empty(read.Restrictions);
        Assert.NotEmpty(drift);
    }

    [Fact]
    public void FromFastly_AclEditedOutsidePoppy_ReportsTheAclsEntries()
    {
        var t = Translator();
        var spec = TestSpecs.Normalize(TestSpecs.Rich());
        var config = t.ToFastly(spec);
        var edited = config with { Acls = [new AclObject("poppy_acl_0", [new AclEntryObject("198.51.100.0", 25, false)])] };

        var (read, drift) = t.FromFastly(edited, "x");

        var blacklist = read.Restrictions.Single(r => r.Name == "no-admin");
        var rule = Assert.Single(blacklist.Rules);
        Assert.Equal("198.51.100.0/25", rule.ClientIp);
        Assert.Equal("/admin/*", rule.RequestUrl);
        Assert.Contains(drift, d => d.Contains("poppy_acl_0", StringComparison.Ordinal));
    }

    [Fact]
    public void FromFastly_CacheConditionEdited_ReportsTheEditedPath()
    {
        var t = Translator();
        var config = t.ToFastly(TestSpecs.Normalize(TestSpecs.Rich()));
        var edited = config with
        {
            Conditions = config.Conditions.Select(c => c.Name == "poppy-cache-1" ? c with { Statement = FastlyTranslator.PathStatement(["/media/*"]) } : c).ToList(),
        };

        var (read, drift) = t.FromFastly(edited, "x");

        Assert.Equal("/media/*", read.Caching!.Single(c => c.Name == "images").Rules.Single().RequestUrl);
        Assert.Contains(drift, d => d.Contains("poppy-cache-1", StringComparison.Ordinal));
    }

    [Fact]
    public void FromFastly_DomainAddedOutsidePoppy_IsReportedAfterTheManifestsDomains()
    {
        var t = Translator();
        var config = t.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));

        var (read, _) = t.FromFastly(config with { Domains = [new DomainObject("extra.example.com"), .. config.Domains] }, "x");

        Assert.Equal(["www.example.com", "extra.example.com"], read.Domains.Select(d => d.Domain));
    }
}
