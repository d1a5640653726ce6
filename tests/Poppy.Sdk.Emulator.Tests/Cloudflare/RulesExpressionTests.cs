using Poppy.Sdk.Emulator.Cloudflare;

namespace Poppy.Sdk.Emulator.Tests.Cloudflare;

public sealed class RulesExpressionTests
{
    [Theory]
    [InlineData("http.host eq \"www.example.com\"")]
    [InlineData("http.host in {\"a.example\" \"b.example\"}")]
    [InlineData("(http.host in {\"a.example\"}) and starts_with(http.request.uri.path, \"/images/\")")]
    [InlineData("http.host in {\"a.example\"} and not ip.src.country in {\"FR\" \"DE\"}")]
    [InlineData("http.host in {\"a.example\"} and ip.src in {192.0.2.0/24 2001:db8::/32 198.51.100.7}")]
    [InlineData("not (http.referer contains \"example.com\" or http.referer eq \"\")")]
    [InlineData("http.request.uri.path matches \"^/api/v[0-9]+/\" && ssl")]
    [InlineData("http.host == \"a\" || http.host != \"b\"")]
    [InlineData("http.referer eq \"say \\\"hi\\\" \\\\ back\"")]
    [InlineData("lower(http.request.uri.path) eq \"/x\"")]
    [InlineData("ends_with(http.request.uri.path, \".css\")")]
    [InlineData("http.request.headers[\"x-key\"][0] eq \"v\"")]
    [InlineData("any(http.request.headers.names[*] eq \"x-poppy\")")]
    [InlineData("cf.edge.server_port in {80 443 8000..8100}")]
    [InlineData("ip.src in $blocked_ips")]
    [InlineData("http.request.uri.path wildcard \"/img/*\"")]
    [InlineData("http.request.uri.path strict wildcard \"/img/*\"")]
    [InlineData("http.host eq \"a}\" and http.host ne \"b)\"")]
    [InlineData("http.host eq \"x\\\" or true or \\\"\"")]
    public void Check_WellFormed_IsNull(string expression)
    {
        Assert.Null(RulesExpression.Check(expression));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("http.host eq \"a")]
    [InlineData("http.host eq \"a\" \"")]
    [InlineData("(http.host eq \"a\"")]
    [InlineData("http.host eq \"a\")")]
    [InlineData("http.host in {\"a\"")]
    [InlineData("http.host in \"a\"}")]
    [InlineData("http.host in {}")]
    [InlineData("http.hots eq \"a\"")]
    [InlineData("http.host")]
    [InlineData("http.host eq")]
    [InlineData("http.host = \"a\"")]
    [InlineData("http.host eq \"a\" and")]
    [InlineData("http.host eq \"a\" or or http.host eq \"b\"")]
    [InlineData("http.host eq \"a\" \"b\"")]
    [InlineData("http.host eq \"a\\n\"")]
    [InlineData("starts_with(http.request.uri.path, \"/a\"")]
    [InlineData("evil(http.host)")]
    [InlineData("ip.src in {300.1.2.3}")]
    [InlineData("ip.src in {192.0.2.0/24 xyz}")]
    [InlineData("http.host eq \"a\"; drop")]
    [InlineData("http.host eq \"a\"\nor http.host eq \"b\" }")]
    public void Check_Malformed_SaysWhat(string expression)
    {
        var problem = RulesExpression.Check(expression);

        Assert.False(string.IsNullOrEmpty(problem), expression);
    }

    [Fact]
    public void Check_TooLong_IsRefused()
    {
        var expression = "http.host eq \"" + new string('a', RulesExpression.MaxLength) + "\"";

        Assert.Contains("longer than 4096", RulesExpression.Check(expression), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Error_NamesTheColumn()
    {
        Assert.StartsWith("Filter parsing error (1:1): unknown identifier 'http.hots'", RulesExpression.Check("http.hots eq \"a\""), StringComparison.Ordinal);
    }
}
