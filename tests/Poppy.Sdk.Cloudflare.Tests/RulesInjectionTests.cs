using System.Text.Json;
using Poppy.Sdk.Cloudflare.Internal;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>
/// User strings reach the Rules language only as escaped string literals, or are refused: attempts to close the literal,
/// the set or the call, or to add an <c>or</c> clause, stay inside one literal.
/// </summary>
public class RulesInjectionTests
{
    [Theory]
    [InlineData("/a\"b", "\"/a\\\"b\"")]
    [InlineData("/a\\b", "\"/a\\\\b\"")]
    [InlineData("/x\" or true or \"", "\"/x\\\" or true or \\\"\"")]
    [InlineData("/}) or (http.host eq \"evil", "\"/}) or (http.host eq \\\"evil\"")]
    [InlineData("/\\\" or 1 eq 1", "\"/\\\\\\\" or 1 eq 1\"")]
    public void String_EscapesQuotesAndBackslashes(string value, string literal)
    {
        Assert.Equal(literal, RulesExpression.String(value, out var problem));
        Assert.Null(problem);
        Assert.Equal(value, Unescape(literal));
    }

    [Theory]
    [InlineData("/a\nor true")]
    [InlineData("/a\r\n")]
    [InlineData("/a\tb")]
    [InlineData("/a\0")]
    public void String_ControlCharacter_IsRefused(string value)
    {
        Assert.Null(RulesExpression.String(value, out var problem));
        Assert.Contains("control character", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/x\"or\"/y")]
    [InlineData("/a\\\"}or{\"")]
    [InlineData("/})or(true")]
    public void PlanService_HostileRequestUrl_StaysOneLiteral(string url)
    {
        var h = new CloudflareHarness();
        var spec = TestSpecs.Simple() with { Caching = [new CachingRule("c", 7200, new PathRule("evil", url))] };

        var plan = h.Provider.PlanService(TestSpecs.Normalize(spec));

        Assert.True(plan.IsValid, string.Join("; ", plan.Problems));
        using var cache = JsonDocument.Parse(plan.Documents.Single(d => d.Name == "rules/http_request_cache_settings").Content);
        var expression = cache.RootElement[0].GetProperty("expression").GetString()!;
        var literal = expression[(expression.IndexOf(" eq ", StringComparison.Ordinal) + 4)..];
        Assert.StartsWith("http.host in {\"www.example.com\"} and http.request.uri.path eq \"", expression, StringComparison.Ordinal);
        Assert.Equal(url, Unescape(literal));
    }

    [Theory]
    [InlineData("/x\" or true or \"/y")]
    [InlineData("/a\\\" or http.host ne \"")]
    [InlineData("/}) or (true")]
    public void Translate_HostileRequestUrlWithSpaces_StaysOneLiteral(string url)
    {
        // The model refuses spaces in request URLs; the translator does not rely on it.
        var translator = new CloudflareTranslator(CloudflareHarness.NewOptions());
        var spec = TestSpecs.Normalize(TestSpecs.Simple()) with { Caching = [new CachingRule("c", 7200, new PathRule("evil", url))] };

        var (config, problems) = translator.Translate("svc-1", spec);

        Assert.Empty(problems);
        var expression = config!.InPhase(Phases.Cache).Single().Expression;
        Assert.Equal(url, Unescape(expression[(expression.IndexOf(" eq ", StringComparison.Ordinal) + 4)..]));
    }

    [Fact]
    public void PlanService_NewlineInRequestUrl_IsAProblem_NotAnExpression()
    {
        var spec = TestSpecs.Simple() with { Caching = [new CachingRule("c", 7200, new PathRule("nl", "/a\nb"))] };

        var plan = new CloudflareHarness().Provider.PlanService(spec);

        Assert.False(plan.IsValid);
        Assert.Empty(plan.Documents);
    }

    [Fact]
    public void PathCondition_BackslashInWildcardPattern_IsRefused()
    {
        Assert.Null(RulesExpression.PathCondition("/a\\*/b*.png", out var problem));
        Assert.Contains("backslash", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/*", null)]
    [InlineData("/img/*", "starts_with(http.request.uri.path, \"/img/\")")]
    [InlineData("/a.png", "http.request.uri.path eq \"/a.png\"")]
    [InlineData("/img/*.png", "http.request.uri.path strict wildcard \"/img/*.png\"")]
    public void PathCondition_MapsEachRequestUrlForm(string url, string? condition)
    {
        Assert.Equal(condition, RulesExpression.PathCondition(url, out var problem));
        Assert.Null(problem);
        Assert.Equal(url, CloudflareServiceReader.PathOf(RulesExpression.And("http.host in {\"a.example\"}", condition)));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("192.0.2.0/24", "192.0.2.0/24")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("192.0.2.0/33", null)]
    [InlineData("192.0.2.1} or true or ip.src in {1.1.1.1", null)]
    [InlineData("fe80::1%eth0", null)]
    public void IpOrRange_AcceptsOnlyAddressesAndRanges(string value, string? canonical) =>
        Assert.Equal(canonical, RulesExpression.IpOrRange(value));

    [Fact]
    public void Translate_RuleNamesGoToTheDescription_NeverTheExpression()
    {
        var translator = new CloudflareTranslator(CloudflareHarness.NewOptions());
        var spec = TestSpecs.Normalize(TestSpecs.Simple() with { Caching = [new CachingRule("x\") or true or (\"", 7200, new PathRule("n\"}", "/*"))] });

        var (config, problems) = translator.Translate("svc-1", spec);

        Assert.Empty(problems);
        var rule = config!.InPhase(Phases.Cache).Single();
        Assert.Equal("http.host in {\"www.example.com\"}", rule.Expression);
        Assert.Contains("x\") or true or (\"", rule.Description, StringComparison.Ordinal);
    }

    private static string Unescape(string literal)
    {
        Assert.True(literal.Length >= 2 && literal[0] == '"' && literal[^1] == '"');
        var sb = new System.Text.StringBuilder();
        for (var i = 1; i < literal.Length - 1; i++)
        {
            if (literal[i] == '\\')
            {
                i++;
                Assert.True(i < literal.Length - 1, "a backslash escapes the closing quote");
                Assert.Contains(literal[i], "\"\\");
            }
            else
            {
                Assert.NotEqual('"', literal[i]);
            }

            sb.Append(literal[i]);
        }

        return sb.ToString();
    }
}
