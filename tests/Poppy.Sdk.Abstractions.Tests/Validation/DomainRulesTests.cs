using Poppy.Sdk.Validation.Internal;

namespace Poppy.Sdk.Abstractions.Tests.Validation;

public class DomainRulesTests
{
    [Theory]
    [InlineData("abc.com", "com")]
    [InlineData("example.org", "org")]
    [InlineData("example.invalidtld", "invalidtld")]
    [InlineData("mywebsite.co.uk", "co.uk")]
    [InlineData("shop.com.au", "com.au")]
    [InlineData("site.co.in", "co.in")]
    [InlineData("example.co.jp", "co.jp")]
    [InlineData("co.uk", "uk")]
    public void IsApex_RegistrableDomainOrSuffix_True(string host, string expectedSuffix)
    {
        Assert.True(DomainRules.IsApex(host, out var suffix));
        Assert.Equal(expectedSuffix, suffix);
    }

    [Theory]
    [InlineData("www.abc.com")]
    [InlineData("www.mywebsite.co.uk")]
    [InlineData("a.b.example.com")]
    [InlineData("cdn.example.io")]
    [InlineData("mysite")]
    public void IsApex_Subdomain_False(string host)
    {
        Assert.False(DomainRules.IsApex(host, out var suffix));
        Assert.Null(suffix);
    }

    [Theory]
    [InlineData("co.uk", true)]
    [InlineData("com.au", true)]
    [InlineData("com", true)]
    [InlineData("example.com", false)]
    public void IsPublicSuffix_KnownSuffixes(string name, bool expected) =>
        Assert.Equal(expected, DomainRules.IsPublicSuffix(name));
}
