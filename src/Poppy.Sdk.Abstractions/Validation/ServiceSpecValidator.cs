using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation;

/// <summary>Whether a spec is being created or updated (defaults differ: caching is defaulted on create only).</summary>
public enum ValidationMode
{
    /// <summary>A new service: an absent caching list gets the default rule.</summary>
    Create = 0,

    /// <summary>An update: absent caching stays absent (all caching may be removed).</summary>
    Update = 1,
}

/// <summary>The outcome of validating a spec.</summary>
public sealed record ValidationResult
{
    /// <summary>Every problem found; empty when valid.</summary>
    public required IReadOnlyList<ValidationProblem> Problems { get; init; }

    /// <summary>The spec with defaults applied and values normalised; null when invalid.</summary>
    public ServiceSpec? Normalized { get; init; }

    /// <summary>Whether the spec is valid.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Returns the normalised spec or throws every problem at once.</summary>
    /// <returns>The normalised spec.</returns>
    /// <exception cref="CdnValidationException">The spec is invalid.</exception>
    public ServiceSpec GetNormalizedOrThrow() => IsValid && Normalized is not null ? Normalized : throw new CdnValidationException(Problems);
}

/// <summary>
/// Validates a Poppy service document on the client (no network calls) and applies Poppy's
/// defaults. Every problem is reported at once, each with its path.
/// </summary>
public static class ServiceSpecValidator
{
    /// <summary>Validates and normalises a spec.</summary>
    /// <param name="spec">The spec as written.</param>
    /// <param name="mode">Create (defaults caching) or update.</param>
    /// <returns>The problems, and the normalised spec when valid.</returns>
    public static ValidationResult Validate(ServiceSpec spec, ValidationMode mode = ValidationMode.Create)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // Placeholder until the full rule set lands (issue 2): accept as written.
        return new ValidationResult { Problems = [], Normalized = spec };
    }
}
