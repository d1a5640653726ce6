using System.Text.Json.Nodes;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Akamai.Tests;

/// <summary>
/// DESIGN §2.1: every user string that reaches the rule tree is escaped or refused. Each attempt either comes back as a
/// plan problem, or reaches the tree as exactly one JSON string value equal to the input — no extra rule, behaviour or
/// criterion — and the manifest still holds the spec unchanged.
/// </summary>
public sealed class InjectionTests
{
    public static TheoryData<string> Attempts() => new()
    {
        "\"}]},{\"name\":\"denyAccess\"",
        "\\\"",
        "\\",
        "\n",
        "}",
        "\"",
        ";",
        "||",
        "', \"x\": \"",
        "\u2028",
        "*/*",
    };

    private static ProviderPlan Plan(ServiceSpec spec) => new AkamaiMock().Provider.PlanService(spec);

    private static JsonObject Tree(ProviderPlan plan) => JsonNode.Parse(plan.Documents[0].Content)!["rules"]!.AsObject();

    private static int Count(JsonNode node) => node switch
    {
        JsonObject o => 1 + o.Sum(p => p.Value is null ? 0 : Count(p.Value)),
        JsonArray a => 1 + a.Sum(v => v is null ? 0 : Count(v)),
        _ => 1,
    };

    [Theory]
    [MemberData(nameof(Attempts))]
    public void RequestUrl_InOriginCachingAndRestrictionRules_EscapedOrRefused(string attempt)
    {
        var url = "/a" + attempt;
        var spec = TestSpecs.Full() with
        {
            Origins = [TestSpecs.Full().Origins[0], TestSpecs.Full().Origins[1] with { Rules = [new PathRule("images", url)] }],
            Caching = [new CachingRule("c", 60, new PathRule("c", url + "c"))],
            Restrictions = [new Restriction("r", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.1", url + "r"))],
        };
        var baseline = Plan(TestSpecs.Full() with
        {
            Origins = [TestSpecs.Full().Origins[0], TestSpecs.Full().Origins[1] with { Rules = [new PathRule("images", "/x")] }],
            Caching = [new CachingRule("c", 60, new PathRule("c", "/xc"))],
            Restrictions = [new Restriction("r", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.1", "/xr"))],
        });

        var plan = Plan(spec);
        if (!plan.IsValid)
        {
            Assert.All(plan.Problems, p => Assert.Contains("request_url", p.Path, StringComparison.Ordinal));
            return;
        }

        var tree = Tree(plan);
        var children = tree["children"]!.AsArray();
        Assert.Equal(url, (string?)children[0]!["criteria"]![0]!["options"]!["values"]![0]);
        Assert.Equal(url + "c", (string?)children[1]!["criteria"]![0]!["options"]!["values"]![0]);
        Assert.Equal(url + "r", (string?)children[2]!["criteria"]![0]!["options"]!["values"]![0]);
        var expectedTree = Tree(baseline);
        expectedTree.Remove("comments");
        tree.Remove("comments");
        Assert.Equal(Count(expectedTree), Count(tree));
    }

    [Theory]
    [MemberData(nameof(Attempts))]
    public void Names_OnlyInTheManifest_RoundTripUnchanged(string attempt)
    {
        var spec = TestSpecs.Full() with
        {
            Name = "site " + attempt,
            Caching = [new CachingRule("c" + attempt, 60, new PathRule("p" + attempt, "/*"))],
            Restrictions = [new Restriction("r" + attempt, RestrictionAccess.Blacklist, new RestrictionRule { Name = "n" + attempt, ClientIp = "192.0.2.1" })],
        };

        var plan = Plan(spec);

        Assert.True(plan.IsValid, string.Join("; ", plan.Problems));
        var tree = Tree(plan);
        Assert.Equal(CreateServiceTests.Normalize(spec), Internal.AkamaiReadBack.Manifest(tree));

        // Names never reach the tree outside the manifest: it is the tree of the same spec with plain names.
        var plain = Tree(Plan(spec with
        {
            Name = "site",
            Caching = [new CachingRule("c", 60, new PathRule("p", "/*"))],
            Restrictions = [new Restriction("r", RestrictionAccess.Blacklist, new RestrictionRule { Name = "n", ClientIp = "192.0.2.1" })],
        }));
        tree.Remove("comments");
        plain.Remove("comments");
        Assert.True(JsonNode.DeepEquals(plain, tree));
    }

    [Theory]
    [InlineData("img.example.org\"")]
    [InlineData("img.example.org}")]
    [InlineData("img\\example.org")]
    public void CustomHostHeader_Refused(string value)
    {
        var spec = TestSpecs.Simple() with { Origins = [new OriginSpec("origin.example.net") { HostHeaderType = HostHeaderType.Custom, HostHeaderValue = value }] };
        var plan = Plan(spec);
        Assert.False(plan.IsValid);
        Assert.Contains(plan.Problems, p => p.Path.StartsWith("/origins/0/hostheadervalue", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("example.com\"")]
    [InlineData("example.com; x")]
    [InlineData("*.example.com")]
    [InlineData("example.com}")]
    public void Referrer_Refused(string value)
    {
        var spec = TestSpecs.Simple() with { Restrictions = [new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer(value))] };
        Assert.False(Plan(spec).IsValid);
    }

    [Theory]
    [InlineData("US\"")]
    [InlineData("U\nS")]
    [InlineData("192.0.2.1||1")]
    public void GeographyAndClientIp_Refused(string value)
    {
        var geo = TestSpecs.Simple() with { Restrictions = [new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForGeography(value))] };
        var ip = TestSpecs.Simple() with { Restrictions = [new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForClientIp(value))] };
        Assert.False(Plan(geo).IsValid);
        Assert.False(Plan(ip).IsValid);
    }
}
