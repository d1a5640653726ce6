using System.Text.Json.Serialization;

namespace Poppy.Sdk;

/// <summary>One vendor-native payload a provider would send for a spec (for example Fastly's objects as JSON, or CloudFront's <c>DistributionConfig</c> XML).</summary>
/// <param name="Name">What it is, for example <c>DistributionConfig</c> or <c>viewer-request function</c>.</param>
/// <param name="MediaType">Its format, for example <c>application/json</c>, <c>application/xml</c>, <c>application/javascript</c>.</param>
/// <param name="Content">The payload as the provider would send it.</param>
public sealed record PlanDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("media_type")] string MediaType,
    [property: JsonPropertyName("content")] string Content);

/// <summary>
/// What one provider would do with a spec, worked out offline (no I/O) by its translator: either every problem it
/// would raise, or the vendor-native payloads it would send with a one-line summary. A spec whose plans are all
/// valid never fails on a vendor for a reason knowable offline. See <see cref="ICdnProvider.PlanService"/>.
/// </summary>
public sealed record ProviderPlan
{
    /// <summary>The provider's registered name.</summary>
    [JsonPropertyName("provider")]
    public required string Provider { get; init; }

    /// <summary>Every problem the provider would raise (each with its path, this provider, and what to change); empty when the plan is valid.</summary>
    [JsonPropertyName("problems")]
    public IReadOnlyList<ValidationProblem> Problems { get; init; } = [];

    /// <summary>The payloads the provider would send, in order; empty when the plan is invalid.</summary>
    [JsonPropertyName("documents")]
    public IReadOnlyList<PlanDocument> Documents { get; init; } = [];

    /// <summary>One line saying what would be provisioned (or why not).</summary>
    [JsonPropertyName("summary")]
    public string Summary { get; init; } = "";

    /// <summary>Whether the provider would accept the spec.</summary>
    [JsonIgnore]
    public bool IsValid => Problems.Count == 0;

    /// <summary>A valid plan.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="summary">One line.</param>
    /// <param name="documents">The payloads.</param>
    /// <returns>The plan.</returns>
    public static ProviderPlan Valid(string provider, string summary, params IReadOnlyList<PlanDocument> documents) =>
        new() { Provider = provider, Summary = summary, Documents = documents };

    /// <summary>A plan the provider would refuse. Problems without a provider are attributed to <paramref name="provider"/>.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="problems">Every problem (at least one).</param>
    /// <returns>The plan.</returns>
    public static ProviderPlan Invalid(string provider, IEnumerable<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var list = problems.Select(p => p.Provider is null ? p with { Provider = provider } : p).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("An invalid plan needs at least one problem.", nameof(problems));
        }

        return new() { Provider = provider, Problems = list, Summary = $"{list.Count} problem(s): {list[0].Message}" };
    }

    /// <summary>Throws the plan's problems as one <see cref="CdnValidationException"/> when it is invalid.</summary>
    /// <returns>This plan, when valid.</returns>
    /// <exception cref="CdnValidationException">The plan is invalid.</exception>
    public ProviderPlan EnsureValid() => IsValid ? this : throw new CdnValidationException(Problems);

    /// <inheritdoc />
    public override string ToString() => $"{Provider}: {Summary}";
}
