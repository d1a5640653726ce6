using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Abstractions.Tests.Validation;

public class GeographyCatalogTests
{
    [Theory]
    [InlineData("US", "US")]
    [InlineData("us", "US")]
    [InlineData(" gb ", "GB")]
    [InlineData("USA", "US")]
    [InlineData("United Kingdom", "GB")]
    [InlineData("UNITED KINGDOM", "GB")]
    [InlineData("Jordan", "JO")]
    [InlineData("Kenya", "KE")]
    [InlineData("Senegal", "SN")]
    [InlineData("Seychelles", "SC")]
    [InlineData("Japan", "JP")]
    [InlineData("India", "IN")]
    [InlineData("Costa Rica", "CR")]
    public void TryResolve_CodeOrCountryName_ReturnsOneCode(string geography, string expected)
    {
        Assert.True(GeographyCatalog.TryResolve(geography, out var codes));
        Assert.Equal([expected], codes);
    }

    [Theory]
    [InlineData("North America", new[] { "US", "CA", "MX" })]
    [InlineData("South America", new[] { "BR", "AR", "CL" })]
    [InlineData("EMEA(Europe, Middle East and Africa)", new[] { "GB", "DE", "FR", "AE", "ZA", "KE", "JO", "SN", "SC" })]
    [InlineData("Australia/NZ", new[] { "AU", "NZ" })]
    [InlineData("Rest Of APAC", new[] { "PH", "HK", "PK" })]
    [InlineData("rest of apac", new[] { "PH" })]
    public void TryResolve_Region_ReturnsItsMembers(string region, string[] someMembers)
    {
        Assert.True(GeographyCatalog.TryResolve(region, out var codes));
        Assert.True(codes.Count > 1, $"{region} resolved to {codes.Count} code(s)");
        Assert.Superset(someMembers.ToHashSet(), codes.ToHashSet());
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("Narnia")]
    [InlineData("Jordan, Kenya")]
    [InlineData("Senegal, Seychelles")]
    [InlineData("U")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void TryResolve_Unknown_ReturnsFalseAndEmpty(string? geography)
    {
        Assert.False(GeographyCatalog.TryResolve(geography, out var codes));
        Assert.Empty(codes);
    }

    [Fact]
    public void CountryCodes_AreUpperCaseAlpha2AndIncludeCommonCountries()
    {
        var codes = GeographyCatalog.CountryCodes;

        Assert.InRange(codes.Count, 240, 260);
        Assert.All(codes, c => Assert.Matches("^[A-Z]{2}$", c));
        Assert.Superset(new HashSet<string> { "US", "GB", "DE", "JP", "IN", "AU", "NZ", "BR", "KE", "JO" }, codes.ToHashSet());
    }

    [Fact]
    public void Names_IncludePoppyRegionsAndCountries()
    {
        var names = GeographyCatalog.Names;

        Assert.Superset(
            new HashSet<string> { "North America", "South America", "EMEA(Europe, Middle East and Africa)", "Japan", "India", "Australia/NZ", "Rest Of APAC", "USA", "United Kingdom" },
            names.ToHashSet());
        Assert.DoesNotContain(names, n => n.Contains(", ", StringComparison.Ordinal) && !n.StartsWith("EMEA", StringComparison.Ordinal));
    }

    [Fact]
    public void Names_EveryNameResolvesToKnownCodes()
    {
        var known = GeographyCatalog.CountryCodes.ToHashSet();
        foreach (var name in GeographyCatalog.Names)
        {
            Assert.True(GeographyCatalog.TryResolve(name, out var codes), name);
            Assert.NotEmpty(codes);
            Assert.All(codes, c => Assert.Contains(c, known));
        }
    }

    [Fact]
    public void CountryCodes_EachResolvesToItself()
    {
        foreach (var code in GeographyCatalog.CountryCodes)
        {
            Assert.True(GeographyCatalog.TryResolve(code, out var codes), code);
            Assert.Equal([code], codes);
        }
    }

    [Fact]
    public void Regions_CostaRicaInExactlyOne()
    {
        string[] regions = ["North America", "South America", "EMEA(Europe, Middle East and Africa)", "Japan", "India", "Australia/NZ", "Rest Of APAC"];

        var holding = regions.Where(r => GeographyCatalog.TryResolve(r, out var codes) && codes.Contains("CR")).ToList();

        Assert.Single(holding);
    }
}
