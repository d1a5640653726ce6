using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Abstractions.Tests;

/// <summary>Small valid specs to vary in tests, and assertions on validation results.</summary>
internal static class Specs
{
    public static ServiceSpec Minimal() => new()
    {
        Name = "my service",
        FlavorId = "global",
        Domains = [new DomainSpec("www.example.com")],
        Origins = [new OriginSpec("origin.example.net")],
    };

    public static ServiceSpec WithDomains(params string[] domains) =>
        Minimal() with { Domains = [.. domains.Select(d => new DomainSpec(d))] };

    public static ServiceSpec WithRestrictions(params Restriction[] restrictions) =>
        Minimal() with { Restrictions = restrictions };

    public static ServiceSpec Load(string fileName) =>
        PoppyJson.DeserializeService(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", fileName)));

    public static ServiceSpec AssertValid(ServiceSpec spec, ValidationMode mode = ValidationMode.Create)
    {
        var result = ServiceSpecValidator.Validate(spec, mode);
        Assert.True(result.IsValid, "Expected no problems, got:\n" + string.Join("\n", result.Problems));
        Assert.NotNull(result.Normalized);
        return result.Normalized;
    }

    /// <summary>Asserts that the spec has exactly one problem, at <paramref name="path"/>, whose message contains each fragment.</summary>
    public static ValidationProblem AssertSingleProblem(ServiceSpec spec, string path, params string[] fragments)
    {
        var result = ServiceSpecValidator.Validate(spec);
        Assert.False(result.IsValid);
        Assert.Null(result.Normalized);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, problem.Message, StringComparison.Ordinal);
        }

        return problem;
    }
}
