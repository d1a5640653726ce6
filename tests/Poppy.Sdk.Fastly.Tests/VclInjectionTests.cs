using System.Text.RegularExpressions;
using Poppy.Sdk.Fastly.Internal;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

/// <summary>
/// Every user string that reaches a VCL statement stays inside its string literal. A literal may only
/// hold the allow-listed characters (no <c>"</c>, <c>%</c>, braces, <c>;</c>, whitespace or control
/// characters), and decoding it gives back exactly the input.
/// </summary>
public class VclInjectionTests
{
    public static readonly TheoryData<string> HostilePaths = new()
    {
        "/a\"b",
        "/a\\b",
        "/a\nb",
        "/a\r\nb",
        "/a\tb",
        "/a\"}b",
        "/a{\"b",
        "/a;b",
        "/a||b",
        "/a&&b",
        "/a%22b",
        "/a%b",
        "/a b",
        "/a\u0000b",
        "/\"; } sub vcl_recv { error 200 \"owned\"; } #",
        "/{\"long\"}/\"}\"}",
        "/x\" || req.http.host ~ \"",
        "/a$b(c)[d]+e?f^g|h.i",
        "/ünïcødé/\"*",
        "/" + string.Concat(Enumerable.Repeat("\"}", 511)),
    };

    private static readonly Regex Literal = new("\"([^\"]*)\"", RegexOptions.CultureInvariant);

    private static void AssertLiteralsAreSafe(string statement)
    {
        Assert.Equal(0, statement.Count(c => c == '"') % 2);
        foreach (Match m in Literal.Matches(statement))
        {
            Assert.All(m.Groups[1].Value, c => Assert.True(VclEscaper.IsSafeLiteralChar(c), $"unsafe U+{(int)c:X4} in {m.Value}"));
        }

        Assert.DoesNotContain('\n', statement);
        Assert.DoesNotContain('%', statement);
        Assert.DoesNotContain('{', statement);
        Assert.DoesNotContain('}', statement);
        Assert.DoesNotContain(';', statement);
    }

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void PathStatement_HostilePath_StaysInOneLiteralThatDecodesToTheInput(string path)
    {
        var statement = FastlyTranslator.PathStatement([path]);

        AssertLiteralsAreSafe(statement);
        Assert.Matches("^req\\.url\\.path ~ \"[^\"]*\"$", statement);
        Assert.True(FastlyTranslator.TryParsePathStatement(statement, out var urls));
        var expected = string.Concat(path.EnumerateRunes().Select(r => r.IsAscii ? r.ToString() : Uri.EscapeDataString(r.ToString())));
        Assert.Equal(expected, Assert.Single(urls));
    }

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void PathPatternToRegex_HostilePath_MatchesExactlyThatPath(string path)
    {
        if (!path.All(char.IsAscii))
        {
            return; // non-ASCII paths are matched in their percent-encoded wire form; covered below
        }

        var regex = new Regex(VclEscaper.PathPatternToRegex(path), RegexOptions.CultureInvariant);
        var literal = path.TrimEnd('*');

        Assert.Matches(regex, literal);
        if (!path.EndsWith('*'))
        {
            Assert.DoesNotMatch(regex, path + "x");
        }

        Assert.DoesNotMatch(regex, "/other" + path);
    }

    [Fact]
    public void PathPatternToRegex_NonAscii_MatchesThePercentEncodedWirePath()
    {
        var regex = new Regex(VclEscaper.PathPatternToRegex("/café/*"), RegexOptions.CultureInvariant);

        Assert.Matches(regex, "/caf%C3%A9/menu.html");
        Assert.DoesNotMatch(regex, "/cafe/menu.html");
    }

    [Fact]
    public void PathPatternToRegex_StarIsTheOnlyWildcard()
    {
        var regex = new Regex(VclEscaper.PathPatternToRegex("/a.b/*.png"), RegexOptions.CultureInvariant);

        Assert.Matches(regex, "/a.b/x/y.png");
        Assert.DoesNotMatch(regex, "/aXb/x.png");
        Assert.DoesNotMatch(regex, "/a.b/xpng");
    }

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void ToFastly_HostilePathsInEveryRuleKind_NoStatementBreaksOut(string path)
    {
        var translator = new FastlyTranslator(new FastlyCdnProviderOptions { ApiToken = "t" }, _ => ["US"]);
        var spec = new ServiceSpec
        {
            Name = "hostile",
            FlavorId = "cdn",
            Domains = [new DomainSpec("www.example.com")],
            Origins =
            [
                new OriginSpec("origin.example.net") { Rules = [new PathRule("all", "/*")] },
                new OriginSpec("other.example.net") { Rules = [new PathRule("hostile", path)] },
            ],
            Caching = [new CachingRule("hostile", 60, new PathRule("hostile", path))],
            Restrictions =
            [
                new Restriction("r", RestrictionAccess.Whitelist, RestrictionRule.ForReferrer("www.example.org", path), RestrictionRule.ForGeography("US", path)),
                new Restriction("b", RestrictionAccess.Blacklist, RestrictionRule.ForClientIp("192.0.2.1", path)),
            ],
        };

        var translation = translator.Translate(spec);
        if (path.IndexOfAny(['?', '#']) >= 0)
        {
            // req.url.path has no query or fragment: Fastly refuses the pattern, so no statement is emitted at all.
            Assert.Null(translation.Config);
            Assert.All(translation.Problems, p => Assert.EndsWith("/request_url", p.Path, StringComparison.Ordinal));
            Assert.Equal(5, translation.Problems.Count);
            return;
        }

        var config = translation.Config!;
        Assert.Empty(translation.Problems);
        Assert.Equal(3, config.Conditions.Count);
        Assert.All(config.Conditions, c => AssertLiteralsAreSafe(c.Statement));
        Assert.Equal(
            "(req.url.path ~ " + VclEscaper.Quote(VclEscaper.PathPatternToRegex(path)) + " && !(req.http.Referer ~ \"(?i)^https?://(www\\.example\\.org)(:[0-9]+)?(/|\\z)\")) || "
            + "(req.url.path ~ " + VclEscaper.Quote(VclEscaper.PathPatternToRegex(path)) + " && !(client.geo.country_code ~ \"^(US)\\z\")) || "
            + "(req.url.path ~ " + VclEscaper.Quote(VclEscaper.PathPatternToRegex(path)) + " && client.ip ~ poppy_acl_0)",
            config.Conditions.Single(c => c.Name == "poppy-restrictions").Statement);
    }

    [Theory]
    [InlineData("evil.example.com\" || true || \"")]
    [InlineData("a\"}.example.com")]
    [InlineData("x;y{z}.example.com")]
    public void RefererRegex_HostileHostNames_AreEscaped(string host)
    {
        var regex = VclEscaper.RefererRegex([host]);

        AssertLiteralsAreSafe(VclEscaper.Quote(regex));
        Assert.Matches(new Regex(regex, RegexOptions.CultureInvariant), "https://" + host + "/page");
    }

    [Fact]
    public void ToFastly_GeographyResolverReturnsSomethingOtherThanCodes_RejectedNotEmitted()
    {
        var translator = new FastlyTranslator(new FastlyCdnProviderOptions { ApiToken = "t" }, _ => ["US\" || true || \""]);
        var spec = TestSpecs.Minimal() with
        {
            Caching = [],
            Restrictions = [new Restriction("geo", RestrictionAccess.Blacklist, RestrictionRule.ForGeography("Somewhere"))],
        };

        var error = Assert.Throws<CdnValidationException>(() => translator.ToFastly(spec));

        Assert.Equal("/restrictions/0/rules/0/geography", Assert.Single(error.Problems).Path);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("%")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData(";")]
    [InlineData(" ")]
    [InlineData("\n")]
    public void Quote_UnsafeCharacter_Throws(string text)
    {
        Assert.Throws<InvalidOperationException>(() => VclEscaper.Quote("^/a" + text));
    }

    [Fact]
    public void EscapeText_NonAscii_Throws()
    {
        Assert.Throws<ArgumentException>(() => VclEscaper.EscapeText("bücher.example"));
    }

    [Fact]
    public async Task CreateServiceAsync_HostileRequestUrl_SendsAnEscapedStatement()
    {
        var mock = new FastlyMock();
        var spec = TestSpecs.Minimal() with
        {
            Origins =
            [
                new OriginSpec("origin.example.net"),
                new OriginSpec("other.example.net") { Rules = [new PathRule("x", "/x\"||req.http.host~\"{\"};")] },
            ],
        };
        var sent = new List<string>();
        mock.ExpectSearch(null);
        mock.Expect(HttpMethod.Post, "service").RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, false, false))));
        mock.Http.When(HttpMethod.Post, FastlyMock.Base + FastlyMock.V(1) + "/*").Respond(async r =>
        {
            sent.Add(await r.Content!.ReadAsStringAsync());
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("""{"id":"a"}""") };
        });
        mock.Http.When(HttpMethod.Put, FastlyMock.Base + FastlyMock.V(1) + "*").Respond("application/json", """{"number":1}""");
        mock.Http.When(HttpMethod.Get, FastlyMock.Base + FastlyMock.V(1) + "/validate").Respond("application/json", """{"status":"ok"}""");

        await mock.Provider.CreateServiceAsync("svc-1", spec);

        var condition = sent.Single(s => s.Contains("poppy-origin-1-route", StringComparison.Ordinal) && s.Contains("statement=", StringComparison.Ordinal));
        var statement = System.Web.HttpUtility.ParseQueryString(condition)["statement"]!;
        Assert.Equal("req.url.path ~ \"^/x\\x22\\x7C\\x7Creq\\.http\\.host~\\x22\\x7B\\x22\\x7D\\x3B\\z\"", statement);
        AssertLiteralsAreSafe(statement);
    }
}
