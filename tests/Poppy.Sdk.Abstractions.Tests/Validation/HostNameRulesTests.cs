using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Abstractions.Tests.Validation;

public class HostNameRulesTests
{
    [Theory]
    [InlineData("www.example.com")]
    [InlineData("WWW.Example.COM")]
    [InlineData("a.io")]
    [InlineData("abc.com")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("example.xn--p1ai")]
    [InlineData("0-9.example.museum")]
    public void IsValidHostName_ValidAscii_True(string host) =>
        Assert.True(HostNameRules.IsValidHostName(host));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a.")]
    [InlineData("localhost")]
    [InlineData(" www.example.com")]
    [InlineData("www.example.com.")]
    [InlineData("*.example.com")]
    [InlineData("-a.example.com")]
    [InlineData("a-.example.com")]
    [InlineData("a..example.com")]
    [InlineData("a.example.1")]
    [InlineData("a.example.c")]
    [InlineData("bücher.example.com")]
    [InlineData("http://example.com")]
    [InlineData("example.com:80")]
    [InlineData("a_b.example.com")]
    [InlineData("192.0.2.1")]
    public void IsValidHostName_Invalid_False(string? host) =>
        Assert.False(HostNameRules.IsValidHostName(host));

    [Fact]
    public void IsValidHostName_LengthLimits()
    {
        var label63 = new string('a', 63);
        Assert.True(HostNameRules.IsValidHostName($"{label63}.com"));
        Assert.False(HostNameRules.IsValidHostName($"{label63}a.com"));
        var name253 = string.Join('.', label63, label63, label63, new string('d', 57), "com");
        Assert.True(HostNameRules.IsValidHostName(name253));
        Assert.False(HostNameRules.IsValidHostName("d" + name253));
    }

    [Theory]
    [InlineData(" WWW.Example.com ", "www.example.com")]
    [InlineData("bücher.example.com", "xn--bcher-kva.example.com")]
    [InlineData("BÜCHER.example.com", "xn--bcher-kva.example.com")]
    [InlineData("пример.рф", "xn--e1afmkfd.xn--p1ai")]
    public void TryNormalizeHostName_Valid_ReturnsLowerCasePunycode(string input, string expected)
    {
        Assert.True(HostNameRules.TryNormalizeHostName(input, out var host));
        Assert.Equal(expected, host);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("*.bücher.com")]
    [InlineData("bücher")]
    [InlineData("a b.example.com")]
    public void TryNormalizeHostName_Invalid_ReturnsFalseAndNull(string? input)
    {
        Assert.False(HostNameRules.TryNormalizeHostName(input, out var host));
        Assert.Null(host);
    }
}
