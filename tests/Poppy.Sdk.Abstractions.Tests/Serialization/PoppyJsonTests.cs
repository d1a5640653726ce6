using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Abstractions.Tests.Serialization;

public class PoppyJsonTests
{
    [Fact]
    public void DeserializeService_PoppyApiSample_ReadsEveryField()
    {
        var spec = Specs.Load("poppy-api-sample.json");

        Assert.Equal("mywebsite.com", spec.Name);
        Assert.Equal("asia", spec.FlavorId);
        Assert.Equal(["www.mywebsite.com", "blog.mywebsite.com"], spec.Domains.Select(d => d.Domain));
        Assert.All(spec.Domains, d => Assert.Equal(DomainProtocol.Http, d.Protocol));
        var origin = Assert.Single(spec.Origins);
        Assert.Equal(("mywebsite.com", 80, false, HostHeaderType.Domain), (origin.Origin, origin.Port, origin.Ssl, origin.HostHeaderType));
        Assert.Empty(origin.Rules);
        Assert.NotNull(spec.Caching);
        Assert.Equal([3600, 17200, 12800], spec.Caching.Select(c => c.Ttl));
        Assert.Equal("*.png", spec.Caching[2].Rules[0].RequestUrl);
        var rule = Assert.Single(Assert.Single(spec.Restrictions).Rules);
        Assert.Equal((RestrictionKind?)RestrictionKind.Referrer, rule.Kind);
        Assert.Null(rule.RequestUrl);
        Assert.False(spec.LogDelivery.Enabled);
    }

    [Fact]
    public void Validate_PoppyApiSample_AppliesPoppyDefaults()
    {
        var normalized = Specs.AssertValid(Specs.Load("poppy-api-sample.json"));

        Assert.Equal([new PathRule("default", "/*")], normalized.Origins[0].Rules);
        Assert.Equal([new PathRule("default", "/*")], normalized.Caching![0].Rules);
        Assert.Equal([new PathRule("index", "/index.htm")], normalized.Caching[1].Rules);
        Assert.Equal([new PathRule("images", "*.png")], normalized.Caching[2].Rules);
        var restriction = Assert.Single(normalized.Restrictions);
        Assert.Equal(RestrictionAccess.Whitelist, restriction.Access);
        Assert.Equal("/*", restriction.Rules[0].RequestUrl);
        Assert.False(normalized.LogDelivery.Enabled);
    }

    [Fact]
    public void Validate_HttpsDocument_NormalisesAndDefaults()
    {
        var normalized = Specs.AssertValid(Specs.Load("https-two-origins.json"));

        Assert.Equal("Shop front", normalized.Name);
        Assert.Equal(["www.shop.example.com", "myshop", "xn--bcher-kva.example.com"], normalized.Domains.Select(d => d.Domain));
        Assert.Equal("origin.shop.example.net", normalized.Origins[0].HostHeaderValue);
        Assert.Equal([new PathRule("default", "/*")], normalized.Origins[0].Rules);
        Assert.Equal("images.shop.example.com", normalized.Origins[1].HostHeaderValue);
        Assert.Equal([new CachingRule("default", 86_400, new PathRule("default", "/*"))], normalized.Caching);
        Assert.Equal(["/*", "/uk/*"], normalized.Restrictions[0].Rules.Select(r => r.RequestUrl));
        Assert.Equal("North America", normalized.Restrictions[0].Rules[0].Geography);
        Assert.True(normalized.LogDelivery.Enabled);
    }

    [Theory]
    [InlineData("poppy-api-sample.json")]
    [InlineData("https-two-origins.json")]
    [InlineData("many-problems.json")]
    public void Serialize_RoundTrip_DeserializesToEqualSpec(string file)
    {
        var spec = Specs.Load(file);

        var again = PoppyJson.DeserializeService(PoppyJson.Serialize(spec));

        Assert.Equal(spec, again);
    }

    [Fact]
    public void Serialize_NormalisedSpec_RoundTripsEqual()
    {
        var normalized = Specs.AssertValid(Specs.Load("https-two-origins.json"));

        Assert.Equal(normalized, PoppyJson.DeserializeService(PoppyJson.Serialize(normalized)));
    }

    [Fact]
    public void Serialize_Enums_WrittenAsPoppyStrings()
    {
        var spec = Specs.Minimal() with
        {
            Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.Sni)],
            Origins = [new OriginSpec("origin.example.net", 443, ssl: true) { HostHeaderType = HostHeaderType.Custom, HostHeaderValue = "h.example.com" }],
            Restrictions = [new Restriction("deny", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("203.0.113.0/24"))],
        };

        using var json = JsonDocument.Parse(PoppyJson.Serialize(spec));
        var root = json.RootElement;

        Assert.Equal("https", root.GetProperty("domains")[0].GetProperty("protocol").GetString());
        Assert.Equal("sni", root.GetProperty("domains")[0].GetProperty("certificate").GetString());
        Assert.Equal("custom", root.GetProperty("origins")[0].GetProperty("hostheadertype").GetString());
        Assert.Equal("blacklist", root.GetProperty("restrictions")[0].GetProperty("access").GetString());
        Assert.Equal("203.0.113.0/24", root.GetProperty("restrictions")[0].GetProperty("rules")[0].GetProperty("client_ip").GetString());
        Assert.Equal("flavor_id", root.EnumerateObject().Select(p => p.Name).Single(n => n == "flavor_id"));
    }

    [Fact]
    public void Serialize_AbsentOptionalFields_AreOmitted()
    {
        using var json = JsonDocument.Parse(PoppyJson.Serialize(Specs.Minimal()));
        var root = json.RootElement;

        Assert.False(root.TryGetProperty("caching", out _));
        Assert.False(root.GetProperty("domains")[0].TryGetProperty("certificate", out _));
        Assert.False(root.GetProperty("origins")[0].TryGetProperty("hostheadervalue", out _));
        Assert.False(root.GetProperty("log_delivery").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public void DeserializeService_UnknownTopLevelKeys_Ignored()
    {
        var spec = PoppyJson.DeserializeService("""{ "name": "abc", "flavor_id": "f", "project_id": "p", "status": "deployed", "links": [ { "rel": "self" } ] }""");

        Assert.Equal("abc", spec.Name);
    }

    [Fact]
    public void DeserializeService_NullsInside_ValidatorReportsThemInsteadOfThrowing()
    {
        var spec = PoppyJson.DeserializeService("""
            { "name": "abc", "flavor_id": "f", "domains": null,
              "origins": [ null, { "origin": null, "rules": [ null ] } ],
              "caching": [ { "name": null, "ttl": 10, "rules": null } ],
              "restrictions": [ { "name": "r", "rules": [ { "geography": null } ] } ],
              "log_delivery": null }
            """);

        var result = ServiceSpecValidator.Validate(spec);

        Assert.Equal(
            ["/domains", "/origins/0", "/origins/1/origin", "/origins/1/rules/0", "/caching/0/name", "/restrictions/0/rules/0"],
            result.Problems.Select(p => p.Path));
    }

    [Fact]
    public void DeserializeService_AbsentFields_GetModelDefaults()
    {
        var spec = PoppyJson.DeserializeService("""
            { "name": "abc", "flavor_id": "f",
              "domains": [ { "domain": "www.example.com" } ],
              "origins": [ { "origin": "origin.example.com" } ],
              "restrictions": [ { "name": "r" } ],
              "caching": [ { "name": "c", "ttl": 60 } ] }
            """);

        var origin = Assert.Single(spec.Origins);
        Assert.Equal((80, false, HostHeaderType.Domain, (string?)null), (origin.Port, origin.Ssl, origin.HostHeaderType, origin.HostHeaderValue));
        Assert.Empty(origin.Rules);
        Assert.Equal(DomainProtocol.Http, spec.Domains[0].Protocol);
        Assert.Null(spec.Domains[0].Certificate);
        Assert.Empty(spec.Caching![0].Rules);
        Assert.Equal(RestrictionAccess.Whitelist, spec.Restrictions[0].Access);
        Assert.Empty(spec.Restrictions[0].Rules);
        Assert.Same(LogDelivery.Disabled, spec.LogDelivery);
    }

    [Fact]
    public void DeserializeService_AbsentListsAndLogDelivery_EmptyNotNull()
    {
        var spec = PoppyJson.DeserializeService("""{ "name": "abc" }""");

        Assert.Empty(spec.Domains);
        Assert.Empty(spec.Origins);
        Assert.Empty(spec.Restrictions);
        Assert.Null(spec.Caching);
        Assert.False(spec.LogDelivery.Enabled);
    }

    [Fact]
    public void DeserializeService_CommentsAndTrailingCommas_Accepted()
    {
        var spec = PoppyJson.DeserializeService("""{ "name": "abc", /* a comment */ "flavor_id": "f", }""");

        Assert.Equal("f", spec.FlavorId);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{ "domains": [ { "domain": "www.example.com", "protocol": "ftp" } ] }""")]
    [InlineData("""{ "origins": [ { "origin": "o.example.com", "port": "80" } ] }""")]
    [InlineData("{")]
    public void DeserializeService_InvalidDocument_ThrowsJsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => PoppyJson.DeserializeService(json));

    [Fact]
    public async Task DeserializeServiceAsync_Stream_ReadsDocument()
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(PoppyJson.Serialize(Specs.Minimal())));

        var spec = await PoppyJson.DeserializeServiceAsync(stream);

        Assert.Equal(Specs.Minimal(), spec);
    }

    [Fact]
    public void ValidationProblems_SerializeWithPathMessageAndProvider()
    {
        IReadOnlyList<ValidationProblem> problems = [new("/name", "short"), new("/origins/0/port", "no") { Provider = "fastly" }];

        var json = JsonSerializer.Serialize(problems, PoppyJsonContext.Default.IReadOnlyListValidationProblem);

        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement[0].TryGetProperty("provider", out _));
        Assert.Equal("fastly", doc.RootElement[1].GetProperty("provider").GetString());
        Assert.Equal("/origins/0/port", doc.RootElement[1].GetProperty("path").GetString());
    }
}
