using System.Text.Json.Nodes;
using Poppy.Sdk.Akamai.Internal;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class TranslatorTests
{
    private static JsonObject Rules(ServiceSpec spec, AkamaiMock? m = null) =>
        (m ?? new AkamaiMock()).Translator.Rules(AkamaiMock.ServiceId, CreateServiceTests.Normalize(spec), 555);

    [Fact]
    public void Rules_SimpleSpec_ExactTree()
    {
        var rules = Rules(TestSpecs.Simple());
        rules.Remove("comments");

        Assert.Equal(
            """{"name":"default","options":{"is_secure":false},"criteria":[],"criteriaMustSatisfy":"all","behaviors":[{"name":"origin","options":{"originType":"CUSTOMER","hostname":"origin.example.net","forwardHostHeader":"REQUEST_HOST_HEADER","cacheKeyHostname":"ORIGIN_HOSTNAME","compress":true,"enableTrueClientIp":false,"httpPort":80,"httpsPort":443}},{"name":"cpCode","options":{"value":{"id":555}}},{"name":"caching","options":{"behavior":"MAX_AGE","mustRevalidate":false,"ttl":"1d"}},{"name":"cacheTag","options":{"tag":"poppy-svc-1"}}],"children":[]}""",
            rules.ToJsonString());
    }

    [Fact]
    public void Rules_Comments_StampThenManifest()
    {
        var comments = (string)Rules(TestSpecs.Simple())["comments"]!;
        Assert.StartsWith("poppy:service_id=svc-1\n", comments, StringComparison.Ordinal);
        Assert.Equal(CreateServiceTests.Normalize(TestSpecs.Simple()), AkamaiReadBack.Manifest(Rules(TestSpecs.Simple())));
    }

    [Fact]
    public void Rules_FullSpec_OriginRoutingCachingAndRestrictions()
    {
        var rules = Rules(TestSpecs.Full());
        var children = rules["children"]!.AsArray().Select(c => c!.AsObject()).ToList();

        Assert.Equal(
            ["poppy origin 1", "poppy caching 1", "poppy caching 2", "poppy restriction 0 referrer 0", "poppy restriction 1 geography 0", "poppy restriction 1 client_ip 1"],
            children.Select(c => (string?)c["name"]));

        var origin = children[0];
        Assert.Equal("""{"name":"path","options":{"matchOperator":"MATCHES_ONE_OF","values":["/images/*"],"matchCaseSensitive":false,"normalize":false}}""", origin["criteria"]![0]!.ToJsonString());
        Assert.Equal("""{"originType":"CUSTOMER","hostname":"images.example.net","forwardHostHeader":"CUSTOM","customForwardHostHeader":"img.example.org","cacheKeyHostname":"ORIGIN_HOSTNAME","compress":true,"enableTrueClientIp":false,"httpPort":80,"httpsPort":443,"originSni":true,"verificationMode":"PLATFORM_SETTINGS"}""", origin["behaviors"]![0]!["options"]!.ToJsonString());
        Assert.Equal("""{"behavior":"NO_STORE"}""", children[1]["behaviors"]![0]!["options"]!.ToJsonString());
        Assert.Equal("7d", (string?)children[2]["behaviors"]![0]!["options"]!["ttl"]);

        Assert.Equal("""[{"name":"requestHeader","options":{"headerName":"Referer","matchOperator":"IS_NOT_ONE_OF","values":["*://example.com/*","*://partner.example.org/*"],"matchWildcardName":false,"matchWildcardValue":true,"matchCaseSensitiveValue":false}}]""", children[3]["criteria"]!.ToJsonString());
        Assert.Equal("""[{"name":"denyAccess","options":{"reason":"poppy-restriction","enabled":true}}]""", children[3]["behaviors"]!.ToJsonString());
        Assert.Equal("""[{"name":"path","options":{"matchOperator":"MATCHES_ONE_OF","values":["/videos/*"],"matchCaseSensitive":false,"normalize":false}},{"name":"userLocation","options":{"field":"COUNTRY","matchOperator":"IS_ONE_OF","countryValues":["CN"],"checkIps":"BOTH","useOnlyFirstXForwardedForIp":false}}]""", children[4]["criteria"]!.ToJsonString());
        Assert.Equal("""[{"name":"clientIp","options":{"matchOperator":"IS_ONE_OF","values":["192.0.2.0/24"],"useHeaders":false}}]""", children[5]["criteria"]!.ToJsonString());

        var root = rules["behaviors"]!.AsArray();
        Assert.Equal(8080, (int)root[0]!["options"]!["httpPort"]!);
        Assert.Equal("ORIGIN_HOSTNAME", (string?)root[0]!["options"]!["forwardHostHeader"]);
        Assert.Equal("1h", (string?)root[2]!["options"]!["ttl"]);
    }

    [Fact]
    public void Rules_GeographyRegion_ExpandedToCountryCodes()
    {
        var spec = TestSpecs.Simple() with { Restrictions = [new Restriction("na", RestrictionAccess.Whitelist, RestrictionRule.ForGeography("North America"))] };
        var values = Rules(spec)["children"]![0]!["criteria"]![0]!["options"]!["countryValues"]!.AsArray().Select(v => (string?)v).ToList();
        Assert.Contains("US", values);
        Assert.Contains("CA", values);
        Assert.True(values.Count > 2);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90, "90s")]
    [InlineData(1800, "30m")]
    [InlineData(7200, "2h")]
    [InlineData(86_400, "1d")]
    [InlineData(31_536_000, "365d")]
    public void Ttl_LargestExactUnit(int seconds, string expected) => Assert.Equal(expected, AkamaiTranslator.Ttl(seconds));

    [Fact]
    public void Names_SafeIdsKept_EdgeHostnamesOnlyInLowerCaseDnsLetters()
    {
        Assert.Equal("poppy-svc-1", AkamaiTranslator.PropertyName("svc-1"));
        Assert.Equal("poppy-svc-1", AkamaiTranslator.EdgeHostnamePrefix("svc-1"));
        Assert.Equal("poppy-Svc_1.A", AkamaiTranslator.PropertyName("Svc_1.A"));
        Assert.Matches("^poppy-[0-9a-f]{32}$", AkamaiTranslator.EdgeHostnamePrefix("Svc_1.A"));
    }

    [Fact]
    public void Names_IdWithCharactersPapiRefuses_HashedAndStable()
    {
        var a = AkamaiTranslator.PropertyName("a b/c\"d");
        Assert.Matches("^poppy-[0-9a-f]{32}$", a);
        Assert.Equal(a, AkamaiTranslator.PropertyName("a b/c\"d"));
        Assert.Matches("^poppy-[0-9a-f]{32}$", AkamaiTranslator.EdgeHostnamePrefix("UPPER"));
    }

    [Fact]
    public void Hostnames_CertificateProvisioning()
    {
        var m = new AkamaiMock(o => o.EdgeHostnameDomain = "edgekey.net");
        var spec = CreateServiceTests.Normalize(TestSpecs.Simple() with
        {
            Domains = [new DomainSpec("a.example.com"), new DomainSpec("b.example.com", DomainProtocol.Https, CertificateKind.Sni), new DomainSpec("c.example.com", DomainProtocol.Https, CertificateKind.San), new DomainSpec("d.example.com", DomainProtocol.Https, CertificateKind.Custom)],
        });
        Assert.Equal(["CPS_MANAGED", "DEFAULT", "CPS_MANAGED", "CPS_MANAGED"], m.Translator.Hostnames("svc-1", spec).Select(h => h.CertProvisioningType));
        Assert.All(m.Translator.Hostnames("svc-1", spec), h => Assert.Equal("poppy-svc-1.edgekey.net", h.CnameTo));
    }
}
